import { describe, expect, it } from 'vitest';
import type { AuthorStanding } from './card-verdict.js';
import { judgeCard } from './card-verdict.js';

const expert = 'a'.repeat(24);
const pitcher = 'b'.repeat(24);
const participant = 'c'.repeat(24);
const stranger = 'd'.repeat(24);
const key = '0123456789abcdef0123456789abcdef';
const standings: Record<string, AuthorStanding> = {
  [expert]: { role: 'expert', area: 'funding' },
  [pitcher]: { role: 'pitcher', area: null },
  [participant]: { role: 'participant', area: null },
};
const standingOf = (id: string) => standings[id] ?? { role: null, area: null };
const card = (over: Record<string, unknown> = {}) => ({
  id: key,
  pitchIndex: 0,
  area: 'funding',
  authorId: expert,
  text: 'Try the regional ERDF call',
  createdAt: '2027-01-01T10:00:00.000Z',
  ...over,
});
const editors = new Set([expert, pitcher, participant, stranger]);
const judge = (fields: Record<string, unknown>, who = editors, pitches = 2) =>
  judgeCard(key, fields, who, pitches, standingOf);

describe('judgeCard', () => {
  it("accepts an expert's card in their own area, and the pitcher's in any", () => {
    expect(judge(card())).toMatchObject({ kind: 'judged', status: 'accepted', rejection: null });
    expect(judge(card({ authorId: pitcher, area: 'technology' }))).toMatchObject({
      status: 'accepted',
    });
  });

  it('rejects an expert outside their area, a participant, a stranger, a missing pitch', () => {
    expect(judge(card({ area: 'technology' }))).toMatchObject({
      status: 'rejected',
      rejection: 'foreign-area',
    });
    expect(judge(card({ authorId: participant }))).toMatchObject({ rejection: 'not-an-expert' });
    expect(judge(card({ authorId: stranger }))).toMatchObject({ rejection: 'not-an-expert' });
    expect(judge(card({ pitchIndex: 2 }))).toMatchObject({ rejection: 'no-such-pitch' });
  });

  it('skips malformed cards and cards naming someone who did not edit in the period', () => {
    expect(judge(card({ id: 'f'.repeat(32) }))).toEqual({ kind: 'skip', why: 'malformed' });
    expect(judge(card({ area: 'law' }))).toEqual({ kind: 'skip', why: 'malformed' });
    expect(judge(card({ text: '   ' }))).toEqual({ kind: 'skip', why: 'malformed' });
    expect(judge(card({ extra: 1 }))).toEqual({ kind: 'skip', why: 'malformed' });
    expect(judge(card(), new Set([pitcher]))).toEqual({ kind: 'skip', why: 'not-this-period' });
  });
});

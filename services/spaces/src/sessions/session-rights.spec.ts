import { describe, expect, it } from 'vitest';
import {
  areaProblem,
  boardRight,
  canFacilitate,
  canVote,
  mayCardInArea,
} from './session-rights.js';

const open = { visibility: 'public' as const, phase: 'feedback' as const, locked: false };

describe('session rights', () => {
  it('gives the board write to facilitator, experts, pitchers; comment to participants; read else', () => {
    expect(boardRight(open, 'facilitator')).toBe('write');
    expect(boardRight(open, 'expert')).toBe('write');
    expect(boardRight(open, 'pitcher')).toBe('write');
    expect(boardRight(open, 'participant')).toBe('comment');
    expect(boardRight(open, null)).toBe('read');
    expect(boardRight({ ...open, visibility: 'private' }, null)).toBe('none');
  });

  it('locks everyone but the facilitator to read; a closed board is read for all', () => {
    const locked = { ...open, locked: true };
    expect(boardRight(locked, 'facilitator')).toBe('write');
    for (const role of ['expert', 'pitcher', 'participant'] as const)
      expect(boardRight(locked, role)).toBe('read');
    const closed = { ...open, phase: 'closed' as const };
    for (const role of ['facilitator', 'expert', 'participant', null] as const)
      expect(boardRight(closed, role)).toBe('read');
    expect(boardRight({ ...closed, visibility: 'private' }, null)).toBe('none');
  });

  it('keeps experts to their area, facilitators out of the vote, areas to experts', () => {
    expect(mayCardInArea('expert', 'funding', 'funding')).toBe('ok');
    expect(mayCardInArea('expert', 'funding', 'technology')).toBe('foreign-area');
    expect(mayCardInArea('participant', null, 'funding')).toBe('not-an-expert');
    expect(mayCardInArea('pitcher', null, 'creativity')).toBe('ok');
    expect(canVote('facilitator')).toBe(false);
    expect(canVote('participant')).toBe(true);
    expect(canVote(null)).toBe(false);
    expect(canFacilitate({ memberId: 'x', isAdmin: true }, null)).toBe(true);
    expect(canFacilitate({ memberId: 'x', isAdmin: false }, 'expert')).toBe(false);
    expect(areaProblem('session', 'expert', undefined)).not.toBeNull();
    expect(areaProblem('session', 'expert', 'funding')).toBeNull();
    expect(areaProblem('session', 'participant', 'funding')).not.toBeNull();
    expect(areaProblem('call', 'owner', undefined)).toBeNull();
  });
});

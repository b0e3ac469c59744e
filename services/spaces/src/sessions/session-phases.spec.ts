import { describe, expect, it } from 'vitest';
import { isRefusal, movePhase } from './session-phases.js';

const at = new Date('2027-01-01T10:00:00Z');

describe('movePhase', () => {
  it('runs lobby → pitch n → feedback n → vote → wrap-up → closed, with countdowns', () => {
    const start = movePhase(
      { phase: 'lobby', pitchIndex: null },
      { phase: 'pitch', pitchIndex: 0, durationSeconds: 180 },
      2,
      at,
    );
    expect(start).toEqual({
      phase: 'pitch',
      pitchIndex: 0,
      endsAt: new Date('2027-01-01T10:03:00Z'),
      starts: true,
      endsVote: false,
      closes: false,
    });
    const fb = movePhase(
      { phase: 'pitch', pitchIndex: 0 },
      { phase: 'feedback', pitchIndex: 0 },
      2,
      at,
    );
    expect(fb).toMatchObject({ phase: 'feedback', pitchIndex: 0, endsAt: null, starts: false });
    const back = movePhase(
      { phase: 'feedback', pitchIndex: 1 },
      { phase: 'pitch', pitchIndex: 0 },
      2,
      at,
    );
    expect(back).toMatchObject({ phase: 'pitch', pitchIndex: 0 });
    const vote = movePhase(
      { phase: 'feedback', pitchIndex: 1 },
      { phase: 'vote', pitchIndex: 1 },
      2,
      at,
    );
    expect(vote).toMatchObject({ phase: 'vote', pitchIndex: null });
    expect(
      movePhase({ phase: 'vote', pitchIndex: null }, { phase: 'wrap-up' }, 2, at),
    ).toMatchObject({ endsVote: true });
    expect(
      movePhase(
        { phase: 'wrap-up', pitchIndex: null },
        { phase: 'closed', durationSeconds: 60 },
        2,
        at,
      ),
    ).toMatchObject({
      closes: true,
      endsAt: null,
    });
  });

  it('refuses going back, moving a closed session, and pitch phases without a valid pitch', () => {
    const refused = (m: ReturnType<typeof movePhase>) => (isRefusal(m) ? m.code : 'moved');
    expect(refused(movePhase({ phase: 'pitch', pitchIndex: 0 }, { phase: 'lobby' }, 2, at))).toBe(
      'INVALID_STATE',
    );
    expect(
      refused(movePhase({ phase: 'wrap-up', pitchIndex: null }, { phase: 'vote' }, 2, at)),
    ).toBe('INVALID_STATE');
    expect(
      refused(movePhase({ phase: 'closed', pitchIndex: null }, { phase: 'closed' }, 2, at)),
    ).toBe('INVALID_STATE');
    expect(
      refused(movePhase({ phase: 'lobby', pitchIndex: null }, { phase: 'pitch' }, 2, at)),
    ).toBe('VALIDATION_FAILED');
    expect(
      refused(
        movePhase({ phase: 'lobby', pitchIndex: null }, { phase: 'pitch', pitchIndex: 2 }, 2, at),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(refused(movePhase({ phase: 'lobby', pitchIndex: null }, { phase: 'vote' }, 0, at))).toBe(
      'INVALID_STATE',
    );
  });
});

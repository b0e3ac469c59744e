import { pitchPhases, type PhaseChange, type SessionPhase } from '@agora/proto';

/** How far along a phase is: a session never goes back to an earlier rank. */
const rank: Record<SessionPhase, number> = {
  lobby: 0,
  pitch: 1,
  feedback: 1,
  vote: 2,
  'wrap-up': 3,
  closed: 4,
};

export interface PhaseNow {
  phase: SessionPhase;
  pitchIndex: number | null;
}

export interface PhaseMove {
  phase: SessionPhase;
  pitchIndex: number | null;
  endsAt: Date | null;
  /** The lobby gave way to the first live phase. */
  starts: boolean;
  /** The vote phase was left: results are public from now on. */
  endsVote: boolean;
  closes: boolean;
}

export type PhaseRefusal =
  | { code: 'INVALID_STATE'; message: string }
  | { code: 'VALIDATION_FAILED'; path: string; message: string };

/**
 * The facilitator's move from `now` to `change` (issue 11: lobby → pitch n → feedback n → vote →
 * wrap-up → closed). Pitches and feedback go in any order among the pitches; nothing goes back to
 * the lobby once started, to the vote once it ended, or anywhere once closed. Repeating the current
 * phase restarts its countdown.
 */
export function movePhase(
  now: PhaseNow,
  change: PhaseChange,
  pitchCount: number,
  at: Date,
): PhaseMove | PhaseRefusal {
  if (now.phase === 'closed') return { code: 'INVALID_STATE', message: 'the session is closed' };
  if (rank[change.phase] < rank[now.phase])
    return {
      code: 'INVALID_STATE',
      message: `a session does not go back from ${now.phase} to ${change.phase}`,
    };
  const aboutPitch = pitchPhases.includes(change.phase);
  if ((aboutPitch || change.phase === 'vote') && pitchCount === 0)
    return { code: 'INVALID_STATE', message: 'the session has no pitch yet' };
  let pitchIndex: number | null = null;
  if (aboutPitch) {
    if (change.pitchIndex === undefined)
      return {
        code: 'VALIDATION_FAILED',
        path: 'pitchIndex',
        message: `${change.phase} needs a pitchIndex`,
      };
    if (change.pitchIndex >= pitchCount)
      return {
        code: 'VALIDATION_FAILED',
        path: 'pitchIndex',
        message: `there are ${pitchCount} pitches (0-based index)`,
      };
    pitchIndex = change.pitchIndex;
  }
  const endsAt =
    change.durationSeconds !== undefined && change.phase !== 'closed'
      ? new Date(at.getTime() + change.durationSeconds * 1000)
      : null;
  return {
    phase: change.phase,
    pitchIndex,
    endsAt,
    starts: now.phase === 'lobby' && change.phase !== 'lobby',
    endsVote: now.phase === 'vote' && change.phase !== 'vote',
    closes: change.phase === 'closed',
  };
}

export function isRefusal(m: PhaseMove | PhaseRefusal): m is PhaseRefusal {
  return 'code' in m;
}

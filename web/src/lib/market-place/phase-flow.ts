import type { SessionPhase } from '@agora/proto';

/** A step the facilitator can take: a phase, and the pitch it is about for pitch and feedback. */
export interface PhaseStep {
  phase: SessionPhase;
  pitchIndex: number | null;
}

/**
 * The usual next step of a session (lobby → pitch 1 → feedback 1 → pitch 2 → … → vote → wrap-up →
 * closed), so the facilitator's main button always says what comes next. Null once closed, and
 * in a lobby with no pitch yet (spaces refuses a pitch or a vote without one).
 */
export function nextStep(
  current: { phase: SessionPhase; pitchIndex: number | null },
  pitchCount: number,
): PhaseStep | null {
  const index = current.pitchIndex ?? 0;
  switch (current.phase) {
    case 'lobby':
      // Nothing to pitch or vote on yet: the session waits for its first pitch.
      return pitchCount > 0 ? { phase: 'pitch', pitchIndex: 0 } : null;
    case 'pitch':
      return { phase: 'feedback', pitchIndex: index };
    case 'feedback':
      return index + 1 < pitchCount
        ? { phase: 'pitch', pitchIndex: index + 1 }
        : { phase: 'vote', pitchIndex: null };
    case 'vote':
      return { phase: 'wrap-up', pitchIndex: null };
    case 'wrap-up':
      return { phase: 'closed', pitchIndex: null };
    case 'closed':
      return null;
  }
}

/** Whether the phase is about one pitch (the server requires a `pitchIndex` for these). */
export function isPitchPhase(phase: SessionPhase): boolean {
  return phase === 'pitch' || phase === 'feedback';
}

/** Default countdowns in seconds, editable by the facilitator before each step. */
export const defaultDurations: Partial<Record<SessionPhase, number>> = {
  pitch: 300,
  feedback: 420,
  vote: 180,
};

/** Which part of the session the page shows: before it starts, live, or after it closed. */
export function sessionStage(phase: SessionPhase): 'before' | 'live' | 'after' {
  if (phase === 'lobby') return 'before';
  if (phase === 'closed') return 'after';
  return 'live';
}

import type { DocRight, BoardArea, SessionPhase, SpaceRole, Visibility } from '@agora/proto';
import type { Viewer } from '../access/rights.js';

/** What decides a member's rights in a session: its visibility, phase and board lock. */
export interface SessionFacts {
  visibility: Visibility;
  phase: SessionPhase;
  locked: boolean;
}

/** Facilitators drive the session (phases, board controls, pitches, members); admins may too. */
export function canFacilitate(viewer: Viewer, role: SpaceRole | null): boolean {
  return viewer.isAdmin || role === 'facilitator';
}

/** A public session is seen by every member; a private one by its members and admins. */
export function canSeeSession(s: SessionFacts, viewer: Viewer, role: SpaceRole | null): boolean {
  return viewer.isAdmin || role !== null || s.visibility === 'public';
}

/** Roles that add cards on the board (experts only in their own area: checked per card). */
export const boardWriters: readonly SpaceRole[] = ['facilitator', 'expert', 'pitcher'];

/**
 * A member's right on the board `board:<id>` (DOMAIN.md): write for the facilitator, experts and
 * pitchers; comment for participants (collab lets them write only the `comments` map); read for
 * every other member of a public session; none on a private one. A locked board is read-only for
 * all but the facilitator; a closed session's board is read-only for everyone (its cards are the
 * feedback kept with the proposals).
 */
export function boardRight(s: SessionFacts, role: SpaceRole | null): DocRight {
  if (s.phase === 'closed') return role !== null || s.visibility === 'public' ? 'read' : 'none';
  if (role === 'facilitator') return 'write';
  if (role === null) return s.visibility === 'public' ? 'read' : 'none';
  if (s.locked) return 'read';
  if (boardWriters.includes(role)) return 'write';
  return 'comment';
}

/** Who may spend dots: every member of the session but its facilitators (they run the vote). */
export function canVote(role: SpaceRole | null): boolean {
  return role === 'expert' || role === 'pitcher' || role === 'participant';
}

/**
 * Whether a card's author may write a card in `area`: experts only in their own, the facilitator
 * and pitchers in any (a pitcher notes what they heard).
 */
export function mayCardInArea(
  role: SpaceRole | null,
  expertArea: BoardArea | null,
  area: BoardArea,
): 'ok' | 'not-an-expert' | 'foreign-area' {
  if (role === 'facilitator' || role === 'pitcher') return 'ok';
  if (role !== 'expert') return 'not-an-expert';
  return expertArea === area ? 'ok' : 'foreign-area';
}

/**
 * What is wrong with a membership's area, if anything: a session's expert needs one, and no other
 * role (nor any other kind of space) takes one.
 */
export function areaProblem(
  kind: string,
  role: SpaceRole,
  area: BoardArea | null | undefined,
): string | null {
  if (kind === 'session' && role === 'expert') return area ? null : 'an expert needs an area';
  return area ? 'only a session expert has an area' : null;
}

import type { DocRight, SpaceRole, Visibility } from '@agora/proto';
import type { Viewer } from '../access/rights.js';
import type { RosterRole } from '../registrations/roster.js';

export interface WorkshopFacts {
  stage: 'draft' | 'published';
  /** The community's visibility, copied when the workshop was created. */
  visibility: Visibility;
}

/**
 * Who sees a workshop: its facilitators and roster always (a draft only them), admins, and once
 * published every member if its community is public, else the community's members.
 */
export function canSeeWorkshop(
  w: WorkshopFacts,
  viewer: Viewer,
  rosterRole: RosterRole | null,
  communityRole: SpaceRole | null,
): boolean {
  if (viewer.isAdmin || rosterRole) return true;
  if (w.stage === 'draft') return false;
  return w.visibility === 'public' || communityRole !== null;
}

/**
 * The right on a workshop's notes (DOMAIN.md): write for its facilitators and registered
 * participants; read for those waiting and the rest of the community (every member when it is
 * public); none for a private community's outsiders, and none but the facilitators on a draft.
 */
export function notesRight(
  w: WorkshopFacts,
  rosterRole: RosterRole | null,
  communityRole: SpaceRole | null,
): DocRight {
  if (rosterRole === 'facilitator') return 'write';
  if (w.stage === 'draft') return 'none';
  if (rosterRole === 'participant') return 'write';
  if (rosterRole === 'waitlisted') return 'read';
  if (w.visibility === 'public' || communityRole !== null) return 'read';
  return 'none';
}

/** Facilitators (and admins) edit the workshop, see its roster and mark attendance. */
export function canManageWorkshop(viewer: Viewer, rosterRole: RosterRole | null): boolean {
  return viewer.isAdmin || rosterRole === 'facilitator';
}

/**
 * The facilitation guide of a community (`notes:<communityId>`): its trainers — owners and
 * moderators — write it; its members read it, and so does every member when it is public.
 */
export function guideRight(visibility: Visibility, communityRole: SpaceRole | null): DocRight {
  if (communityRole === 'owner' || communityRole === 'moderator') return 'write';
  if (communityRole === 'member' || visibility === 'public') return 'read';
  return 'none';
}

export function canSeeCommunity(
  visibility: Visibility,
  viewer: Viewer,
  communityRole: SpaceRole | null,
): boolean {
  return viewer.isAdmin || communityRole !== null || visibility === 'public';
}

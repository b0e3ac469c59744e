import type { DocRight, ProposalStatus, SpaceRole, Visibility } from '@agora/proto';

/** Who is asking: a member, and whether their verified token says they are a platform admin. */
export interface Viewer {
  memberId: string;
  isAdmin: boolean;
}

export interface ProposalFacts {
  status: ProposalStatus;
  openToMembers: boolean;
  reviewers: readonly string[];
}

/** Team roles that write a proposal's text while it is a draft. */
export const proposalWriters: readonly SpaceRole[] = ['lead', 'co-author'];

/**
 * A member's right on a proposal's document (README "Rights"): write for the lead and co-authors
 * while it is a draft (after submission the submitted text is what is reviewed, so it is read-only
 * for everyone); read for the rest of the team, the call's owners, assigned reviewers, and every
 * member once the team opened it; none otherwise. Commenters comment while it is a draft: collab
 * lets their updates touch only the comments and suggestions maps, never the text.
 */
export function proposalRight(
  p: ProposalFacts,
  memberId: string,
  teamRole: SpaceRole | null,
  callRole: SpaceRole | null,
): DocRight {
  if (teamRole && proposalWriters.includes(teamRole) && p.status === 'draft') return 'write';
  if (teamRole === 'commenter' && p.status === 'draft') return 'comment';
  if (teamRole) return 'read';
  if (callRole === 'owner') return 'read';
  if (p.reviewers.includes(memberId)) return 'read';
  if (p.openToMembers) return 'read';
  return 'none';
}

/** Who manages a space's members: its leads (proposal) or owners (call), the call's owners, admins. */
export function canManageMembers(
  kind: 'call' | 'proposal' | 'session',
  viewer: Viewer,
  role: SpaceRole | null,
  callRole: SpaceRole | null,
): boolean {
  if (viewer.isAdmin) return true;
  if (kind === 'call') return role === 'owner';
  if (kind === 'session') return role === 'facilitator';
  return role === 'lead' || callRole === 'owner';
}

/** A call is seen by its members and admins; published public calls by every member. */
export function canSeeCall(
  call: { visibility: Visibility; stage: 'draft' | 'published' },
  viewer: Viewer,
  role: SpaceRole | null,
): boolean {
  if (viewer.isAdmin || role) return true;
  return call.stage === 'published' && call.visibility === 'public';
}

/** The strongest role of a kind, which a space must always keep one holder of. */
export function keeperRole(kind: 'call' | 'proposal' | 'session' | 'community'): SpaceRole {
  if (kind === 'session') return 'facilitator';
  if (kind === 'community') return 'owner';
  return kind === 'call' ? 'owner' : 'lead';
}

import type { Role, SpaceRole } from '@agora/proto';

/** What a member may do in one feed: read it, post in it, or also remove others' content. */
export type FeedRight = 'none' | 'read' | 'post' | 'moderate';

/** Roles that read a space but do not take part (a public call's viewer, a waiting list). */
const readOnlyRoles: readonly SpaceRole[] = ['viewer', 'waitlisted'];
/** Roles that keep a space's conversation: they may remove anyone's posts and comments. */
const moderatingRoles: readonly SpaceRole[] = ['owner', 'moderator', 'facilitator'];

/**
 * The main feed is every member's (admins moderate it); a space's feed is its members' (spaces
 * says who they are), moderated by its owners, moderators and facilitators and by admins.
 */
export function feedRight(
  platformRole: Role,
  spaceId: string | null,
  spaceRole: SpaceRole | null,
): FeedRight {
  if (platformRole === 'admin') return 'moderate';
  if (spaceId === null) return 'post';
  if (spaceRole === null) return 'none';
  if (moderatingRoles.includes(spaceRole)) return 'moderate';
  if (readOnlyRoles.includes(spaceRole)) return 'read';
  return 'post';
}

export const canRead = (r: FeedRight): boolean => r !== 'none';
export const canPost = (r: FeedRight): boolean => r === 'post' || r === 'moderate';

import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { spaceIdSchema, spaceKindSchema, spaceRoleSchema } from './space.js';

/** Spaces' domain events that collab, chat and the gateway follow. */
export const spacesEvents = {
  /** The member joined the space (or was added) with a role. */
  membershipAdded: event(
    'spaces',
    'membership',
    'added',
    z.strictObject({
      spaceId: spaceIdSchema,
      kind: spaceKindSchema,
      memberId: memberIdSchema,
      role: spaceRoleSchema,
    }),
  ),
  membershipRoleChanged: event(
    'spaces',
    'membership',
    'role-changed',
    z.strictObject({
      spaceId: spaceIdSchema,
      kind: spaceKindSchema,
      memberId: memberIdSchema,
      role: spaceRoleSchema,
      previous: spaceRoleSchema,
    }),
  ),
  /**
   * Rights on the space's document changed for reasons other than one membership (a proposal was
   * submitted, opened to members, a reviewer assigned): collab asks `doc.access` again for every
   * connection to the space's document.
   */
  docAccessChanged: event(
    'spaces',
    'doc-access',
    'changed',
    z.strictObject({ spaceId: spaceIdSchema, kind: spaceKindSchema }),
  ),
  /** The member left or was removed: they lose the space's room, its documents and its channel. */
  membershipRemoved: event(
    'spaces',
    'membership',
    'removed',
    z.strictObject({ spaceId: spaceIdSchema, memberId: memberIdSchema }),
  ),
} as const;

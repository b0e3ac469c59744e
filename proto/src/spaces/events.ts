import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { spaceIdSchema } from './space.js';

/** Spaces' domain events that collab, chat and the gateway follow. */
export const spacesEvents = {
  /** The member left or was removed: they lose the space's room, its documents and its channel. */
  membershipRemoved: event(
    'spaces',
    'membership',
    'removed',
    z.strictObject({ spaceId: spaceIdSchema, memberId: memberIdSchema }),
  ),
} as const;

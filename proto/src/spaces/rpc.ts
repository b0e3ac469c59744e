import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';
import { rpc } from '../rpc.js';
import { spaceIdSchema, spaceRoleSchema } from './space.js';

/** Spaces' request/reply API: the single source of truth for memberships and rights. */
export const spacesRpc = {
  /**
   * May this member follow the space live (socket.io room `space:<spaceId>`)? Asked by the gateway
   * on `space.join`; an unknown space answers `allowed: false`, like one the member is not in.
   */
  roomAccess: rpc(
    'spaces',
    'room.access',
    z.strictObject({ memberId: memberIdSchema, spaceId: spaceIdSchema }),
    z.discriminatedUnion('allowed', [
      z.strictObject({ allowed: z.literal(true), role: spaceRoleSchema }),
      z.strictObject({ allowed: z.literal(false), role: z.null() }),
    ]),
  ),
} as const;

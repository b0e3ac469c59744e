import { z } from 'zod';
import { docRightSchema } from '../collab/collab-doc.js';
import { docNameSchema } from '../doc-names.js';
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
  /**
   * The member's right on a co-edited document (DOMAIN.md "Rights on a document"), asked by collab
   * on every connection and again when an event says the space's rights changed. An unknown doc
   * answers `none`, like one the member may not see; `role` is the member's role in the doc's
   * space, or null when the right comes from elsewhere (a call's owner reading a proposal).
   */
  docAccess: rpc(
    'spaces',
    'doc.access',
    z.strictObject({ memberId: memberIdSchema, docName: docNameSchema }),
    z.strictObject({ right: docRightSchema, role: spaceRoleSchema.nullable() }),
  ),
} as const;

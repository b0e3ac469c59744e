import { z } from 'zod';
import { countrySchema } from '../identity/member.js';
import { rpc } from '../rpc.js';
import {
  communityCreateSchema,
  communityListQuerySchema,
  communityMembersSchema,
  communityPageSchema,
  communityPatchSchema,
  communityRoleSchema,
  communitySchema,
  spaceSummarySchema,
} from './community.js';
import { spaceIdSchema } from './space.js';

const member = { actor: 'member' } as const;
const byId = z.strictObject({ id: spaceIdSchema });

/** Communities (national and topic groups) and the generic look-up of any space. */
export const communityRpc = {
  communityCreate: rpc(
    'spaces',
    'community.create',
    communityCreateSchema,
    communitySchema,
    member,
  ),
  communityUpdate: rpc(
    'spaces',
    'community.update',
    z.strictObject({ id: spaceIdSchema, patch: communityPatchSchema }),
    communitySchema,
    member,
  ),
  communityGet: rpc('spaces', 'community.get', byId, communitySchema, member),
  /** The country's national community, created on first use. */
  communityNational: rpc(
    'spaces',
    'community.national',
    z.strictObject({ country: countrySchema }),
    communitySchema,
    member,
  ),
  communityList: rpc(
    'spaces',
    'community.list',
    communityListQuerySchema.extend({ mine: z.boolean().optional() }),
    communityPageSchema,
    member,
  ),
  communityMembers: rpc(
    'spaces',
    'community.members',
    byId.extend({
      offset: z.number().int().min(0).max(100_000).default(0),
      limit: z.number().int().min(1).max(200).default(100),
    }),
    communityMembersSchema,
    member,
  ),
  /** Joins a public community as a member (a private one takes an invitation). */
  communityJoin: rpc(
    'spaces',
    'community.join',
    byId,
    z.strictObject({ role: communityRoleSchema }),
    member,
  ),
  /** Leaves it (its last owner cannot: they hand the ownership on first). */
  communityLeave: rpc(
    'spaces',
    'community.leave',
    byId,
    z.strictObject({ ok: z.literal(true) }),
    member,
  ),
  /** Any space the caller may see, whatever its kind. */
  spaceGet: rpc('spaces', 'space.get', byId, spaceSummarySchema, member),
} as const;

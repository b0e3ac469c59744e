import { z } from 'zod';
import { countrySchema } from '../identity/member.js';
import {
  communityCreateSchema,
  communityListQuerySchema,
  communityMembersSchema,
  communityPageSchema,
  communityPatchSchema,
  communityRoleSchema,
  communitySchema,
  spaceSummarySchema,
} from '../spaces/community.js';
import { spaceIdSchema } from '../spaces/space.js';
import { route } from './route.js';

const idParams = z.strictObject({ id: spaceIdSchema });

/** Communities (issue 12) and the generic look-up of any space. */
export const communityRoutes = {
  communityCreate: route({
    method: 'POST',
    path: '/communities',
    tag: 'communities',
    auth: 'member',
    status: 201,
    summary: 'Create a topic group: I become its owner; its guide is `notes:<id>`',
    body: communityCreateSchema,
    response: communitySchema,
  }),
  communityList: route({
    method: 'GET',
    path: '/communities',
    tag: 'communities',
    auth: 'member',
    status: 200,
    summary: 'Communities I may see: national ones and topic groups, or mine',
    query: communityListQuerySchema,
    response: communityPageSchema,
  }),
  communityNational: route({
    method: 'GET',
    path: '/communities/national/:country',
    tag: 'communities',
    auth: 'member',
    status: 200,
    summary: "A country's national community (created on first use)",
    params: z.strictObject({ country: countrySchema }),
    response: communitySchema,
  }),
  communityGet: route({
    method: 'GET',
    path: '/communities/:id',
    tag: 'communities',
    auth: 'member',
    status: 200,
    summary: 'A community: its guide document, member count and my role',
    params: idParams,
    response: communitySchema,
  }),
  communityUpdate: route({
    method: 'PATCH',
    path: '/communities/:id',
    tag: 'communities',
    auth: 'member',
    status: 200,
    summary: 'Rename or describe a community (its owners and admins)',
    params: idParams,
    body: communityPatchSchema,
    response: communitySchema,
  }),
  communityMembers: route({
    method: 'GET',
    path: '/communities/:id/members',
    tag: 'communities',
    auth: 'member',
    status: 200,
    summary: "A community's members with their roles (whoever may see it)",
    params: idParams,
    query: z.strictObject({
      offset: z.coerce.number().int().min(0).max(100_000).default(0),
      limit: z.coerce.number().int().min(1).max(200).default(100),
    }),
    response: communityMembersSchema,
  }),
  communityJoin: route({
    method: 'POST',
    path: '/communities/:id/members/me',
    tag: 'communities',
    auth: 'member',
    status: 200,
    summary: 'Join a public community as a member',
    params: idParams,
    response: z.strictObject({ role: communityRoleSchema }),
  }),
  communityLeave: route({
    method: 'DELETE',
    path: '/communities/:id/members/me',
    tag: 'communities',
    auth: 'member',
    status: 204,
    summary: 'Leave a community (its last owner cannot)',
    params: idParams,
    response: null,
  }),
  spaceGet: route({
    method: 'GET',
    path: '/spaces/:id',
    tag: 'spaces',
    auth: 'member',
    status: 200,
    summary:
      'Any space I may see: kind, title, visibility, parent, my role, chat channel, document',
    params: idParams,
    response: spaceSummarySchema,
  }),
} as const;

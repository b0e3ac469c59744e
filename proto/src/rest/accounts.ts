import { z } from 'zod';
import { route } from './route.js';
import { memberIdSchema } from '../identity/member.js';
import {
  adminMemberSchema,
  deviceSessionSchema,
  sessionIdSchema,
  suspensionReasonSchema,
} from '../identity/accounts.js';

/** The signed-in member's sessions (devices), and the admin's suspension of a member. */
export const accountRoutes = {
  mySessions: route({
    method: 'GET',
    path: '/me/sessions',
    tag: 'me',
    auth: 'member',
    status: 200,
    summary: 'My signed-in devices, the current one marked',
    response: z.strictObject({ items: z.array(deviceSessionSchema) }),
  }),
  mySessionRevoke: route({
    method: 'DELETE',
    path: '/me/sessions/:id',
    tag: 'me',
    auth: 'member',
    status: 204,
    summary:
      'Sign one of my devices out (its refresh token, access tokens and sockets end at once)',
    params: z.strictObject({ id: sessionIdSchema }),
    response: null,
  }),
  mySessionsRevokeOthers: route({
    method: 'POST',
    path: '/me/sessions/revoke-others',
    tag: 'me',
    auth: 'member',
    status: 200,
    summary: 'Sign out every device but this one',
    body: z.strictObject({}),
    response: z.strictObject({ revoked: z.number().int() }),
  }),
  adminSuspend: route({
    method: 'POST',
    path: '/admin/members/:id/suspend',
    tag: 'admin',
    auth: 'admin',
    status: 200,
    summary: 'Suspend a member: they cannot sign in, their sessions and sockets end at once',
    params: z.strictObject({ id: memberIdSchema }),
    body: z.strictObject({ reason: suspensionReasonSchema }),
    response: adminMemberSchema,
  }),
  adminReinstate: route({
    method: 'POST',
    path: '/admin/members/:id/reinstate',
    tag: 'admin',
    auth: 'admin',
    status: 200,
    summary: "Lift a member's suspension",
    params: z.strictObject({ id: memberIdSchema }),
    body: z.strictObject({ reason: suspensionReasonSchema }),
    response: adminMemberSchema,
  }),
} as const;

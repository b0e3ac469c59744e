import { z } from 'zod';
import { route } from './route.js';
import { checkMailResponseSchema } from './recovery.js';
import {
  emailSchema,
  imageKindSchema,
  memberIdSchema,
  privateMemberSchema,
  profilePatchSchema,
  publicMemberSchema,
  roleSchema,
  timeZoneSchema,
  uiLanguageSchema,
} from '../identity/member.js';
import {
  invitationSchema,
  loginRequestSchema,
  mailSchema,
  memberExportSchema,
  registerRequestSchema,
} from '../identity/rpc.js';
import { adminMemberFilterSchema, adminMemberPageSchema } from '../identity/accounts.js';

/** What register, login and refresh answer; the refresh token travels only in the httpOnly cookie. */
export const authResponseSchema = z.strictObject({
  accessToken: z.string(),
  accessExpiresAt: z.iso.datetime(),
  user: privateMemberSchema,
});
export type AuthResponse = z.infer<typeof authResponseSchema>;

export const refreshCookieName = 'agora_refresh';
/** The cookie is scoped to the auth routes only. */
export const refreshCookiePath = '/api/auth';

const pageQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const identityRoutes = {
  register: route({
    method: 'POST',
    path: '/auth/register',
    tag: 'auth',
    auth: 'public',
    status: 201,
    summary:
      'Create an account. 201 with the session (and the refresh cookie) when it works at once: the first account, an invitation link (the invited address only), or any new address on an install that does not confirm sign-ups by mail (AUTH_SIGNUP_CONFIRM). 202 `{ status: "check-mail" }` otherwise, the same for a known address (whose owner is mailed instead) and a new one (mailed a link that creates the account)',
    body: registerRequestSchema,
    response: z.union([authResponseSchema, checkMailResponseSchema]),
  }),
  login: route({
    method: 'POST',
    path: '/auth/login',
    tag: 'auth',
    auth: 'public',
    status: 200,
    summary: 'Sign in (sets the refresh cookie)',
    body: loginRequestSchema,
    response: authResponseSchema,
  }),
  refresh: route({
    method: 'POST',
    path: '/auth/refresh',
    tag: 'auth',
    auth: 'public',
    status: 200,
    summary: 'Rotate the refresh cookie and get a new access token',
    body: z.strictObject({ timeZone: timeZoneSchema.optional() }),
    response: authResponseSchema,
  }),
  logout: route({
    method: 'POST',
    path: '/auth/logout',
    tag: 'auth',
    auth: 'public',
    status: 204,
    summary: 'Sign out: revoke the refresh token and clear the cookie',
    response: null,
  }),
  meGet: route({
    method: 'GET',
    path: '/me',
    tag: 'me',
    auth: 'member',
    status: 200,
    summary: 'My account and profile, with its completeness',
    response: privateMemberSchema,
  }),
  meUpdate: route({
    method: 'PATCH',
    path: '/me',
    tag: 'me',
    auth: 'member',
    status: 200,
    summary: 'Change my profile',
    body: profilePatchSchema,
    response: privateMemberSchema,
  }),
  meImage: route({
    method: 'PUT',
    path: '/me/:kind',
    tag: 'me',
    auth: 'member',
    status: 200,
    summary:
      'Upload my avatar or cover image (raw image body: JPEG, PNG, WebP or GIF, at most 5 MiB)',
    params: z.strictObject({ kind: imageKindSchema }),
    body: 'binary',
    response: privateMemberSchema,
  }),
  meExport: route({
    method: 'GET',
    path: '/me/export',
    tag: 'me',
    auth: 'member',
    status: 200,
    summary: 'Download all my personal data as JSON',
    response: memberExportSchema,
  }),
  meDelete: route({
    method: 'DELETE',
    path: '/me',
    tag: 'me',
    auth: 'member',
    status: 204,
    summary: 'Delete my account: personal data erased, contributions kept anonymised',
    body: z.strictObject({ password: z.string().min(1).max(256) }),
    response: null,
  }),
  memberGet: route({
    method: 'GET',
    path: '/members/:id',
    tag: 'members',
    auth: 'member',
    status: 200,
    summary: "A member's public profile",
    params: z.strictObject({ id: memberIdSchema }),
    response: publicMemberSchema,
  }),
  invitationCreate: route({
    method: 'POST',
    path: '/invitations',
    tag: 'invitations',
    auth: 'member',
    status: 201,
    summary: 'Invite someone by email with a personal message',
    body: z.strictObject({
      email: emailSchema,
      message: z.string().trim().max(1000).default(''),
      /** The invitation mail's language; unset: the inviter's own. */
      language: uiLanguageSchema.optional(),
    }),
    response: invitationSchema,
  }),
  invitationList: route({
    method: 'GET',
    path: '/invitations',
    tag: 'invitations',
    auth: 'member',
    status: 200,
    summary: 'Invitations I sent',
    response: z.array(invitationSchema),
  }),
  invitationLookup: route({
    method: 'GET',
    path: '/invitations/:token',
    tag: 'invitations',
    auth: 'public',
    status: 200,
    summary: 'Who invited the holder of this link',
    params: z.strictObject({ token: z.string().min(16).max(128) }),
    response: z.strictObject({ inviterName: z.string(), email: z.string(), message: z.string() }),
  }),
  media: route({
    method: 'GET',
    path: '/media/:id',
    tag: 'media',
    auth: 'public',
    status: 200,
    summary: 'A stored image (immutable, cacheable)',
    params: z.strictObject({ id: z.string().regex(/^[a-f0-9]{64}$/) }),
    response: 'binary',
  }),
  adminMembers: route({
    method: 'GET',
    path: '/admin/members',
    tag: 'admin',
    auth: 'admin',
    status: 200,
    summary: 'Members with their roles, status and inviter: search by name or email, filter',
    query: pageQuery.extend(adminMemberFilterSchema.shape),
    response: adminMemberPageSchema,
  }),
  adminRoleSet: route({
    method: 'PATCH',
    path: '/admin/members/:id/role',
    tag: 'admin',
    auth: 'admin',
    status: 200,
    summary: "Change a member's role",
    params: z.strictObject({ id: memberIdSchema }),
    body: z.strictObject({ role: roleSchema }),
    response: publicMemberSchema,
  }),
  adminMailbox: route({
    method: 'GET',
    path: '/admin/mailbox',
    tag: 'admin',
    auth: 'admin',
    status: 200,
    summary: 'Dev mailbox: mail kept when no SMTP transport is configured',
    query: pageQuery,
    response: z.strictObject({ total: z.number().int(), items: z.array(mailSchema) }),
  }),
} as const;

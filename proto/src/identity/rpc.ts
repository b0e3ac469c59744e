import { z } from 'zod';
import { rpc } from '../rpc.js';
import { adminMemberFilterSchema, adminMemberPageSchema } from './accounts.js';
import {
  countrySchema,
  displayNameSchema,
  emailSchema,
  imageKindSchema,
  memberIdSchema,
  passwordSchema,
  privateMemberSchema,
  profilePatchSchema,
  publicMemberSchema,
  roleSchema,
  timeZoneSchema,
  uiLanguageSchema,
} from './member.js';

/** Who is calling, as seen by the gateway: used for throttling and audit, never for authorisation. */
export const clientInfoSchema = z.strictObject({
  ip: z.string().min(1).max(64),
  userAgent: z.string().max(512),
});

/** A fresh session: the gateway puts the refresh token in an httpOnly cookie and hands the rest to the client. */
export const sessionSchema = z.strictObject({
  accessToken: z.string(),
  accessExpiresAt: z.iso.datetime(),
  refreshToken: z.string(),
  refreshExpiresAt: z.iso.datetime(),
  user: privateMemberSchema,
});
export type Session = z.infer<typeof sessionSchema>;

export const invitationSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  message: z.string(),
  status: z.enum(['sent', 'accepted']),
  createdAt: z.iso.datetime(),
  acceptedAt: z.iso.datetime().nullable(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const mailSchema = z.strictObject({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  transport: z.enum(['smtp', 'dev-mailbox']),
  status: z.enum(['sent', 'failed']),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type Mail = z.infer<typeof mailSchema>;

export const memberExportSchema = z.strictObject({
  exportedAt: z.iso.datetime(),
  account: privateMemberSchema,
  invitationsSent: z.array(invitationSchema),
  sessions: z.array(
    z.strictObject({
      createdAt: z.iso.datetime(),
      lastUsedAt: z.iso.datetime(),
      ip: z.string(),
      userAgent: z.string(),
    }),
  ),
  dailyLogins: z.array(z.string()),
});

const ok = z.strictObject({ ok: z.literal(true) });
/** Made on behalf of the signed-in member: the actor comes from their verified access token. */
const member = { actor: 'member' } as const;
const page = z.strictObject({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100).default(50),
});

export const registerRequestSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
  country: countrySchema,
  preferredLanguage: uiLanguageSchema,
  timeZone: timeZoneSchema.optional(),
  invitationToken: z.string().min(16).max(128).optional(),
});
export const loginRequestSchema = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
  timeZone: timeZoneSchema.optional(),
});

/**
 * Identity's request/reply API; the gateway is its only caller from outside. Identity alone signs
 * access tokens (`AUTH_SIGNING_KEY`); every process verifies them with `AUTH_PUBLIC_KEY`.
 */
export const identityRpc = {
  register: rpc(
    'identity',
    'register',
    registerRequestSchema.extend({ client: clientInfoSchema }),
    sessionSchema,
  ),
  login: rpc(
    'identity',
    'login',
    loginRequestSchema.extend({ client: clientInfoSchema }),
    sessionSchema,
  ),
  refresh: rpc(
    'identity',
    'refresh',
    z.strictObject({
      refreshToken: z.string().min(1).max(512),
      timeZone: timeZoneSchema.optional(),
      client: clientInfoSchema,
    }),
    sessionSchema,
  ),
  logout: rpc(
    'identity',
    'logout',
    z.strictObject({ refreshToken: z.string().min(1).max(512) }),
    ok,
  ),
  meGet: rpc('identity', 'me.get', z.strictObject({}), privateMemberSchema, member),
  meUpdate: rpc(
    'identity',
    'me.update',
    z.strictObject({ patch: profilePatchSchema }),
    privateMemberSchema,
    member,
  ),
  /** The upload waits in the `AGORA_UPLOADS` object store under `uploadId` (see buckets). */
  meImageSet: rpc(
    'identity',
    'me.image.set',
    z.strictObject({
      kind: imageKindSchema,
      uploadId: z.string().regex(/^[a-zA-Z0-9_-]{8,64}$/),
    }),
    privateMemberSchema,
    member,
  ),
  meExport: rpc('identity', 'me.export', z.strictObject({}), memberExportSchema, member),
  meDelete: rpc(
    'identity',
    'me.delete',
    z.strictObject({ password: z.string().min(1).max(256) }),
    ok,
    member,
  ),
  memberGet: rpc(
    'identity',
    'member.get',
    z.strictObject({ memberId: memberIdSchema }),
    publicMemberSchema,
    member,
  ),
  /**
   * Admin only (checked against the actor's current role in identity's store, not the token's):
   * members found by name or email, status, or inviter, oldest first.
   */
  memberList: rpc(
    'identity',
    'member.list',
    z.strictObject({ page, filter: adminMemberFilterSchema.default({ status: 'all' }) }),
    adminMemberPageSchema,
    member,
  ),
  /** Admin only (checked against the actor's current role in identity's store, not the token's). */
  roleSet: rpc(
    'identity',
    'role.set',
    z.strictObject({ memberId: memberIdSchema, role: roleSchema }),
    publicMemberSchema,
    member,
  ),
  invitationCreate: rpc(
    'identity',
    'invitation.create',
    z.strictObject({
      email: emailSchema,
      message: z.string().trim().max(1000).default(''),
      /** The invitation mail's language; unset: the inviter's own. */
      language: uiLanguageSchema.optional(),
    }),
    invitationSchema,
    member,
  ),
  invitationList: rpc(
    'identity',
    'invitation.list',
    z.strictObject({}),
    z.array(invitationSchema),
    member,
  ),
  /** Public: what the register page shows for an invitation link. */
  invitationLookup: rpc(
    'identity',
    'invitation.lookup',
    z.strictObject({ token: z.string().min(16).max(128) }),
    z.strictObject({ inviterName: z.string(), email: z.string(), message: z.string() }),
  ),
  /** Admin only: mail kept by the dev mailbox (no SMTP configured). */
  mailboxList: rpc(
    'identity',
    'mailbox.list',
    z.strictObject({ page }),
    z.strictObject({ total: z.number().int(), items: z.array(mailSchema) }),
    member,
  ),
  /** Public: a stored, resized image. Ids are content hashes, so replies never change. */
  mediaGet: rpc(
    'identity',
    'media.get',
    z.strictObject({ mediaId: z.string().regex(/^[a-f0-9]{64}$/) }),
    z.strictObject({ contentType: z.string(), base64: z.string(), bytes: z.number().int() }),
  ),
} as const;

/** The context whose service signs access tokens: the one process that is given AUTH_SIGNING_KEY. */
export const accessTokenIssuer = identityRpc.login.context;

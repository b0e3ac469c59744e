import { z } from 'zod';
import { event } from '../events.js';
import { rpc } from '../rpc.js';
import { memberIdSchema, publicMemberSchema } from './member.js';

/**
 * Sessions (a member's signed-in devices) and account suspension. A session is one sign-in: the
 * family of rotating refresh tokens identity keeps, named by its id, which every access token it
 * issues carries as the `sid` claim (so a revocation reaches that device's sockets and requests).
 */

/** A session's id (identity's refresh-token family id, a UUID). */
export const sessionIdSchema = z.uuid();

/** Why sessions ended, for the sockets' `session.expired` reason and the operator's logs. */
export const sessionEndCauses = [
  /** The member signed out on that device. */
  'signed-out',
  /** The member (or an admin) ended it from the sessions page. */
  'revoked',
  /** A refresh token was presented twice: the whole sign-in is taken as stolen. */
  'reused',
  /** The account was suspended. */
  'suspended',
  /** The password changed or was reset: every other sign-in ends. */
  'credentials-changed',
] as const;
export const sessionEndCauseSchema = z.enum(sessionEndCauses);
export type SessionEndCause = (typeof sessionEndCauses)[number];

/**
 * Events of accounts' lifecycle beyond identity's `identityEvents`. Ids and facts only: a
 * suspension's reason is personal (an admin's words about a member) and stays in identity's store.
 */
export const accountEvents = {
  memberSuspended: event(
    'identity',
    'member',
    'suspended',
    z.strictObject({ memberId: memberIdSchema }),
  ),
  memberReinstated: event(
    'identity',
    'member',
    'reinstated',
    z.strictObject({ memberId: memberIdSchema }),
  ),
  /** These sign-ins ended: their refresh tokens are refused, their access tokens and sockets too. */
  sessionsRevoked: event(
    'identity',
    'sessions',
    'revoked',
    z.strictObject({
      memberId: memberIdSchema,
      sessionIds: z.array(sessionIdSchema).min(1).max(1000),
      cause: sessionEndCauseSchema,
    }),
  ),
} as const;

/** One signed-in device, as its member sees it. Browser and system come from the user agent only. */
export const deviceSessionSchema = z.strictObject({
  id: sessionIdSchema,
  /** e.g. "Firefox 128"; "" when the user agent names none we know. */
  browser: z.string(),
  /** e.g. "Android 14", "Windows", "macOS"; "" when unknown. */
  os: z.string(),
  device: z.enum(['desktop', 'mobile', 'tablet', 'unknown']),
  /** The sign-in. */
  createdAt: z.iso.datetime(),
  /** The last refresh (or the sign-in). */
  lastSeenAt: z.iso.datetime(),
  /** When it ends at the latest: the absolute lifetime counted from the sign-in. */
  endsAt: z.iso.datetime(),
  /** The session of the token that asked. */
  current: z.boolean(),
});
export type DeviceSession = z.infer<typeof deviceSessionSchema>;

export const suspensionReasonSchema = z
  .string()
  .trim()
  .min(3, 'at least 3 characters')
  .max(500, 'at most 500 characters');

/** A suspension as identity keeps it; the member sees `reason` when refused at sign-in. */
export const suspensionSchema = z.strictObject({
  reason: z.string(),
  at: z.iso.datetime(),
  by: z.strictObject({ id: memberIdSchema, displayName: z.string() }).nullable(),
});
export type Suspension = z.infer<typeof suspensionSchema>;

/** `details` of an ACCOUNT_SUSPENDED refusal (sign-in, refresh). */
export const suspendedDetailsSchema = z.strictObject({ reason: z.string(), at: z.iso.datetime() });

/** A member as the admin members page lists them. */
export const adminMemberSchema = publicMemberSchema.extend({
  email: z.string(),
  createdAt: z.iso.datetime(),
  status: z.enum(['active', 'suspended']),
  suspension: suspensionSchema.nullable(),
  /** Who invited them (null: registered without an invitation, or the inviter is gone). */
  invitedBy: z.strictObject({ id: memberIdSchema, displayName: z.string() }).nullable(),
});
export type AdminMember = z.infer<typeof adminMemberSchema>;

export const adminMemberFilterSchema = z.strictObject({
  /** Part of the display name or email, any case. */
  q: z.string().trim().max(100).optional(),
  status: z.enum(['all', 'active', 'suspended']).default('all'),
  /** Only the members this member invited. */
  invitedBy: memberIdSchema.optional(),
});

export const adminMemberPageSchema = z.strictObject({
  total: z.number().int(),
  items: z.array(adminMemberSchema),
});

const member = { actor: 'member' } as const;
const ok = z.strictObject({ ok: z.literal(true) });

/** Sessions of the calling member, and the admin's suspension of a member. */
export const accountRpc = {
  sessionList: rpc(
    'identity',
    'session.list',
    z.strictObject({}),
    z.strictObject({ items: z.array(deviceSessionSchema) }),
    member,
  ),
  /** Ends one of the caller's sessions (the current one too: that is signing out there). */
  sessionRevoke: rpc(
    'identity',
    'session.revoke',
    z.strictObject({ sessionId: sessionIdSchema }),
    ok,
    member,
  ),
  /** Ends every session of the caller but the one of the token that asks. */
  sessionRevokeOthers: rpc(
    'identity',
    'session.revoke-others',
    z.strictObject({}),
    z.strictObject({ revoked: z.number().int() }),
    member,
  ),
  /** Admin only: the member cannot sign in or refresh, their sessions and sockets end at once. */
  memberSuspend: rpc(
    'identity',
    'member.suspend',
    z.strictObject({ memberId: memberIdSchema, reason: suspensionReasonSchema }),
    adminMemberSchema,
    member,
  ),
  /** Admin only: lifts the suspension; the reason is kept in identity's log of the account. */
  memberReinstate: rpc(
    'identity',
    'member.reinstate',
    z.strictObject({ memberId: memberIdSchema, reason: suspensionReasonSchema }),
    adminMemberSchema,
    member,
  ),
} as const;

/**
 * What reading identity's event stream with a push ordered consumer takes (the gateways' access
 * view): stream info, creating an ephemeral consumer whose filter is the whole stream (the filter is
 * part of the create subject, so no other consumer can be made or changed this way), and the flow
 * control replies. No pulling, no consumer info or deletion: the durable consumers of identity's
 * stream stay out of reach; an ordered consumer left behind goes away by its inactivity threshold.
 */
export const identityStreamReadSubjects = [
  `$JS.API.STREAM.INFO.AGORA_IDENTITY`,
  `$JS.API.CONSUMER.CREATE.AGORA_IDENTITY.*.agora.identity.evt.>`,
  `$JS.FC.AGORA_IDENTITY.>`,
] as const;

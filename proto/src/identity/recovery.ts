import { z } from 'zod';
import { event } from '../events.js';
import { rpc } from '../rpc.js';
import { emailSchema, passwordSchema } from './member.js';
import { clientInfoSchema, registerRequestSchema, sessionSchema } from './rpc.js';

/**
 * Account recovery and address proof (issue 15): registration that does not tell whether an
 * address has an account, email verification, password reset and change, email change.
 *
 * Every link identity mails carries a single-use random token (256 bits); only its sha256 is kept
 * once the mail is recorded. Lifetimes: a reset link 30 minutes, a verification, sign-up or
 * email-change link 24 hours.
 */

/** A mailed link's token, as the web passes it back from `?token=`. */
export const linkTokenSchema = z.string().min(16).max(128);

/**
 * What registration answers. `signed-in`: the account exists and this is its session (the first
 * account of an install, a registration through an invitation link, or any new address when the
 * install does not confirm sign-ups by mail). `check-mail`: nothing tells the caller whether the
 * address was new (a link to finish was mailed) or known (its owner was told by mail).
 */
export const signupResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('signed-in'), session: sessionSchema }),
  z.strictObject({ status: z.literal('check-mail') }),
]);
export type SignupResult = z.infer<typeof signupResultSchema>;

/**
 * What following a verification link did: `signed-in` a sign-up link created the account and
 * signed it in; `verified` an existing account's address is now confirmed; `email-changed` the
 * account's address is now the one the link was mailed to.
 */
export const emailLinkResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('signed-in'), session: sessionSchema }),
  z.strictObject({ status: z.literal('verified'), email: z.string() }),
  z.strictObject({ status: z.literal('email-changed'), email: z.string() }),
]);
export type EmailLinkResult = z.infer<typeof emailLinkResultSchema>;

/** The signed-in member's address and its state, for the unverified banner and the security page. */
export const accountEmailStateSchema = z.strictObject({
  email: z.string(),
  /** The address was proven: a link mailed to it was followed (or an invitation to it used). */
  emailVerified: z.boolean(),
  /** An address change waiting for its confirmation link to be followed, if any. */
  pendingEmail: z.string().nullable(),
  /** This install lets unverified members read and manage their account only (AUTH_REQUIRE_VERIFIED_EMAIL). */
  verificationRequired: z.boolean(),
});
export type AccountEmailState = z.infer<typeof accountEmailStateSchema>;

const ok = z.strictObject({ ok: z.literal(true) });
const member = { actor: 'member' } as const;

export const passwordChangeRequestSchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});
export const emailChangeRequestSchema = z.strictObject({
  password: z.string().min(1).max(256),
  newEmail: emailSchema,
});
export const passwordResetRequestSchema = z.strictObject({ email: emailSchema });
export const passwordResetSchema = z.strictObject({
  token: linkTokenSchema,
  password: passwordSchema,
});

/** Identity's recovery RPCs; the gateway is their only caller. */
export const identityRecoveryRpc = {
  /** Registration as the REST route `POST /auth/register` makes it (see `signupResultSchema`). */
  signup: rpc(
    'identity',
    'signup',
    registerRequestSchema.extend({ client: clientInfoSchema }),
    signupResultSchema,
  ),
  /** Follows a mailed sign-up, verification or email-change link (single use). */
  emailLinkFollow: rpc(
    'identity',
    'email-link.follow',
    z.strictObject({ token: linkTokenSchema, client: clientInfoSchema }),
    emailLinkResultSchema,
  ),
  /** Mails the member a new verification link (throttled; nothing when already verified). */
  verificationResend: rpc('identity', 'verification.resend', z.strictObject({}), ok, member),
  accountEmailState: rpc(
    'identity',
    'account.email-state',
    z.strictObject({}),
    accountEmailStateSchema,
    member,
  ),
  /** The same answer whether or not the address has an account; throttled per address and IP. */
  passwordResetRequest: rpc(
    'identity',
    'password-reset.request',
    passwordResetRequestSchema.extend({ client: clientInfoSchema }),
    ok,
  ),
  /** Sets the password from a reset link (single use, 30 min) and ends every session. */
  passwordReset: rpc(
    'identity',
    'password-reset.complete',
    passwordResetSchema.extend({ client: clientInfoSchema }),
    ok,
  ),
  /** Needs the current password; every other session of the member ends, the caller's stays. */
  passwordChange: rpc(
    'identity',
    'password.change',
    passwordChangeRequestSchema,
    z.strictObject({ ok: z.literal(true), sessionsEnded: z.number().int().min(0) }),
    member,
  ),
  /**
   * Needs the password; mails a confirmation link to the new address, and changes nothing until it
   * is followed. Answers the same whether or not the new address has an account.
   */
  emailChange: rpc('identity', 'email.change', emailChangeRequestSchema, ok, member),
} as const;

/** Identity's recovery events: ids only (the address and token stay in identity's store). */
export const recoveryEvents = {
  /** A mail (sign-up, verification, reset, email change, or a notice) waits to be sent. */
  accountMailQueued: event(
    'identity',
    'account-mail',
    'queued',
    z.strictObject({ mailId: z.string().regex(/^[a-f0-9]{24}$/) }),
  ),
} as const;

import { z } from 'zod';
import { route } from './route.js';
import {
  accountEmailStateSchema,
  emailChangeRequestSchema,
  linkTokenSchema,
  passwordChangeRequestSchema,
  passwordResetRequestSchema,
  passwordResetSchema,
} from '../identity/recovery.js';
import { privateMemberSchema } from '../identity/member.js';

/** What a route answers when a mail may have been sent: the same whatever the address was. */
export const checkMailResponseSchema = z.strictObject({ status: z.literal('check-mail') });

/** A session as register, login and refresh hand it out (the refresh token only in the cookie). */
const signedInResponseSchema = z.strictObject({
  accessToken: z.string(),
  accessExpiresAt: z.iso.datetime(),
  user: privateMemberSchema,
});

/** What `POST /auth/verify-email` answers: a session (a sign-up link), or the confirmed address. */
export const emailLinkResponseSchema = z.union([
  signedInResponseSchema.extend({ status: z.literal('signed-in') }),
  z.strictObject({ status: z.enum(['verified', 'email-changed']), email: z.string() }),
]);
export type EmailLinkResponse = z.infer<typeof emailLinkResponseSchema>;

/** Password reset and change, email verification and change (issue 15). */
export const recoveryRoutes = {
  passwordResetRequest: route({
    method: 'POST',
    path: '/auth/password-reset/request',
    tag: 'auth',
    auth: 'public',
    status: 202,
    summary:
      'Mail a password reset link (valid 30 min, single use) if the address has an account; the same answer either way. 429 with Retry-After after too many requests for one address or from one IP',
    body: passwordResetRequestSchema,
    response: checkMailResponseSchema,
  }),
  passwordReset: route({
    method: 'POST',
    path: '/auth/password-reset',
    tag: 'auth',
    auth: 'public',
    status: 204,
    summary:
      'Set a new password with a reset link; every session of the account ends (sign in again). 400 `link_invalid` when the link is unknown, used or expired',
    body: passwordResetSchema,
    response: null,
  }),
  verifyEmail: route({
    method: 'POST',
    path: '/auth/verify-email',
    tag: 'auth',
    auth: 'public',
    status: 200,
    summary:
      'Follow a mailed link: a sign-up link creates the account and signs in (sets the refresh cookie), a verification link confirms the address, an email-change link moves the account to the new address',
    body: z.strictObject({ token: linkTokenSchema }),
    response: emailLinkResponseSchema,
  }),
  myEmailState: route({
    method: 'GET',
    path: '/me/email',
    tag: 'me',
    auth: 'member',
    status: 200,
    summary: 'My address: verified or not, a change waiting for confirmation',
    response: accountEmailStateSchema,
  }),
  myVerificationResend: route({
    method: 'POST',
    path: '/me/email/verification',
    tag: 'me',
    auth: 'member',
    status: 202,
    summary: 'Mail me a new verification link (at most 5 an hour)',
    body: z.strictObject({}),
    response: checkMailResponseSchema,
  }),
  myEmailChange: route({
    method: 'POST',
    path: '/me/email',
    tag: 'me',
    auth: 'member',
    status: 202,
    summary:
      'Change my address: needs my password; a confirmation link goes to the new address (nothing changes until it is followed), a notice to the old one once it is',
    body: emailChangeRequestSchema,
    response: checkMailResponseSchema,
  }),
  myPasswordChange: route({
    method: 'POST',
    path: '/me/password',
    tag: 'me',
    auth: 'member',
    status: 200,
    summary:
      'Change my password: needs the current one (a wrong one is 400 `wrong_password`, 429 after five); my other sessions end, this one stays',
    body: passwordChangeRequestSchema,
    response: z.strictObject({ sessionsEnded: z.number().int().min(0) }),
  }),
} as const;

import { Inject, Injectable } from '@nestjs/common';
import {
  recoveryEvents,
  type AccountEmailState,
  type EmailLinkResult,
  type RpcPayload,
  type SignupResult,
  type identityRecoveryRpc,
} from '@agora/proto';
import { Clock, isDuplicateKey, pendingEvent, RpcFailure } from '@agora/platform';
import { AuthService } from '../auth/auth.service.js';
import { CredentialsRepository } from '../auth/credentials.repository.js';
import { FirstAdmin } from '../auth/first-admin.service.js';
import { LoginThrottle } from '../auth/login-throttle.service.js';
import { checkPassword, passwordProblemMessage } from '../auth/password-policy.js';
import { SessionService, type ClientInfo } from '../auth/session.service.js';
import { normaliseEmail } from '../common/email.js';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';
import { MemberAccess } from '../members/member-access.service.js';
import { MemberRepository } from '../members/member.repository.js';
import { MemberUpdates } from '../members/member-updates.service.js';
import type { MemberRecord, UiLanguage } from '../members/member.types.js';
import { AccountMailRepository, type AccountMailRecord } from './account-mail.repository.js';
import type { AccountMailKind, PendingSignup } from './account-mail.schema.js';
import { EmailVerificationRepository } from './email-verification.repository.js';
import { budgets, RequestBudget } from './request-budget.service.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How long each kind of link works. */
export const LINK_TTL_MS: Record<AccountMailKind, number> = {
  signup: 24 * HOUR,
  'signup-known': 30 * MINUTE,
  verify: 24 * HOUR,
  reset: 30 * MINUTE,
  'email-change': 24 * HOUR,
  'email-change-taken': 0,
  'email-changed': 0,
};
/** Records stay this long after their link expired, so a late click is told "used or expired". */
const KEEP_AFTER_EXPIRY_MS = 24 * HOUR;

/** Links followed on the reset page, and on the verify-email page. */
const resetKinds: readonly AccountMailKind[] = ['reset', 'signup-known'];
const emailLinkKinds: readonly AccountMailKind[] = ['signup', 'verify', 'email-change'];

export type SignupConfirm = 'mail' | 'none';

/** `mail` when SMTP is configured (mail reaches people), `none` otherwise, unless set. */
export function signupConfirmOf(config: IdentityConfig): SignupConfirm {
  return config.AUTH_SIGNUP_CONFIRM ?? (config.SMTP_URL ? 'mail' : 'none');
}

function invalid(path: string, code: string, message: string): RpcFailure {
  return new RpcFailure('VALIDATION_FAILED', message, [{ path: [path], code, message }]);
}

const linkInvalid = () =>
  invalid('token', 'link_invalid', 'this link is invalid, already used or expired');

/**
 * Registration without telling whether an address has an account, email verification, password
 * reset and change, email change. Mail leaves through the outbox (`account-mail.queued`, sent by
 * `AccountMailerService`), so no request waits on SMTP and its timing does not say whether a mail
 * was due.
 */
@Injectable()
export class RecoveryService {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly auth: AuthService,
    private readonly access: MemberAccess,
    private readonly members: MemberRepository,
    private readonly updates: MemberUpdates,
    private readonly credentials: CredentialsRepository,
    private readonly firstAdmin: FirstAdmin,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly mails: AccountMailRepository,
    private readonly verifications: EmailVerificationRepository,
    private readonly budget: RequestBudget,
    private readonly clock: Clock,
  ) {}

  /**
   * `POST /auth/register`. Signed in at once: through an invitation link (it proves the address),
   * as the install's first account or ADMIN_EMAIL (nobody else exists to hide), or for a new
   * address when sign-ups are not confirmed by mail. Otherwise `check-mail` for a new address (a
   * link that creates the account) and a known one (its owner is told, with a reset link) alike:
   * both hash the password and write one record before answering.
   */
  async signup(req: RpcPayload<typeof identityRecoveryRpc.signup>): Promise<SignupResult> {
    const email = normaliseEmail(req.email);
    const problem = checkPassword(req.password, { email, displayName: req.displayName });
    if (problem) throw invalid('password', problem, passwordProblemMessage(problem));
    if (req.invitationToken) {
      const session = await this.auth.register(req);
      return { status: 'signed-in', session };
    }
    await this.budget.take([
      { key: `signup-ip:${req.client.ip}`, budget: budgets.perIp },
      { key: `signup-to:${email}`, budget: budgets.perAddress },
    ]);
    const existing = await this.members.findActiveByEmail(email);
    const passwordHash = await this.credentials.hashPassword(req.password);
    if (existing) {
      await this.queue('signup-known', existing.email, existing.preferredLanguage, existing.id);
      return { status: 'check-mail' };
    }
    const account = {
      email,
      passwordHash,
      displayName: req.displayName,
      country: req.country,
      preferredLanguage: req.preferredLanguage,
      timeZone: req.timeZone,
    };
    if (signupConfirmOf(this.config) === 'none' || (await this.firstAdmin.wouldBeAdmin(email))) {
      const session = await this.auth.createAccount(account, {
        client: req.client,
        verified: false,
      });
      return { status: 'signed-in', session };
    }
    await this.queue('signup', email, req.preferredLanguage, null, {
      passwordHash,
      displayName: req.displayName,
      country: req.country,
      preferredLanguage: req.preferredLanguage,
      timeZone: req.timeZone ?? 'UTC',
    });
    return { status: 'check-mail' };
  }

  /** A sign-up, verification or email-change link, followed once. */
  async followEmailLink(token: string, client: ClientInfo): Promise<EmailLinkResult> {
    const link = await this.openLink(token, emailLinkKinds);
    const now = this.clock.now();
    if (link.kind === 'signup') {
      const signup = link.signup;
      if (!signup) throw linkInvalid();
      // Someone else finished registering this address first: it has an account now.
      if (await this.members.findActiveByEmail(link.to))
        throw new RpcFailure('CONFLICT', 'this address already has an account: sign in');
      if (!(await this.mails.consume(link.id, now))) throw linkInvalid();
      const session = await this.auth.createAccount(
        { email: link.to, ...signup },
        { client, verified: true },
      );
      return { status: 'signed-in', session };
    }
    const member = link.memberId ? await this.members.findById(link.memberId) : null;
    if (!member || member.status !== 'active') throw linkInvalid();
    if (link.kind === 'verify') {
      // A link to an address the account no longer has proves nothing about the current one.
      if (member.email !== link.to) throw linkInvalid();
      if (!(await this.mails.consume(link.id, now))) throw linkInvalid();
      await this.verifications.markVerified(member.id, member.email, now);
      return { status: 'verified', email: member.email };
    }
    // email-change
    if (await this.members.findActiveByEmail(link.to))
      throw new RpcFailure('CONFLICT', 'this address already has an account');
    if (!(await this.mails.consume(link.id, now))) throw linkInvalid();
    const oldEmail = member.email;
    try {
      await this.updates.apply(member.id, () => ({ changes: { email: link.to }, events: [] }));
    } catch (err) {
      if (isDuplicateKey(err))
        throw new RpcFailure('CONFLICT', 'this address already has an account');
      throw err;
    }
    await this.verifications.markVerified(member.id, link.to, now);
    await this.queue('email-changed', oldEmail, member.preferredLanguage, member.id, null, link.to);
    return { status: 'email-changed', email: link.to };
  }

  async resendVerification(actorId: string): Promise<void> {
    const member = await this.access.requireActive(actorId);
    if (await this.verifications.isVerified(member.id, member.email)) return;
    await this.budget.take([{ key: `verify:${member.id}`, budget: budgets.perMember }]);
    await this.mails.supersede(member.id, 'verify', this.clock.now());
    await this.queue('verify', member.email, member.preferredLanguage, member.id);
  }

  async emailState(actorId: string): Promise<AccountEmailState> {
    const member = await this.access.requireActive(actorId);
    const pending = await this.mails.findOpen(member.id, 'email-change', this.clock.now());
    return {
      email: member.email,
      emailVerified: await this.verifications.isVerified(member.id, member.email),
      pendingEmail: pending?.to ?? null,
      verificationRequired: this.config.AUTH_REQUIRE_VERIFIED_EMAIL === true,
    };
  }

  /** The same answer whether or not the address has an account (only then is a link mailed). */
  async requestPasswordReset(rawEmail: string, client: ClientInfo): Promise<void> {
    const email = normaliseEmail(rawEmail);
    await this.budget.take([
      { key: `reset-ip:${client.ip}`, budget: budgets.perIp },
      { key: `reset-to:${email}`, budget: budgets.perAddress },
    ]);
    const member = await this.members.findActiveByEmail(email);
    if (!member) return;
    await this.queue('reset', member.email, member.preferredLanguage, member.id);
  }

  /** Sets the password from a reset link; every session of the account ends. */
  async resetPassword(token: string, password: string, client: ClientInfo): Promise<void> {
    const link = await this.openLink(token, resetKinds);
    const member = link.memberId ? await this.members.findById(link.memberId) : null;
    if (!member || member.status !== 'active' || member.email !== link.to) throw linkInvalid();
    // Checked before the link is used, so a refused password does not cost the member their link.
    const problem = checkPassword(password, {
      email: member.email,
      displayName: member.displayName,
    });
    if (problem) throw invalid('password', problem, passwordProblemMessage(problem));
    const now = this.clock.now();
    if (!(await this.mails.consume(link.id, now))) throw linkInvalid();
    await this.setPassword(member, password);
    await this.endSessions(member.id, null);
    // Following the mailed link proved the address; failed sign-ins before it are forgiven.
    await this.verifications.markVerified(member.id, member.email, now);
    await this.throttle.recordSuccess(member.email, client.ip);
  }

  /** Needs the current password; the member's other sessions end, the caller's stays. */
  async changePassword(
    actorId: string,
    sessionId: string | null,
    currentPassword: string,
    newPassword: string,
  ): Promise<number> {
    const member = await this.access.requireActive(actorId);
    await this.recheckPassword(member, currentPassword, 'currentPassword');
    const problem = checkPassword(newPassword, {
      email: member.email,
      displayName: member.displayName,
    });
    if (problem) throw invalid('newPassword', problem, passwordProblemMessage(problem));
    await this.setPassword(member, newPassword);
    return this.endSessions(member.id, sessionId);
  }

  /**
   * Mails a confirmation link to the new address; nothing changes until it is followed. An address
   * that already has an account gets a notice instead: the member asking learns nothing of it.
   */
  async changeEmail(actorId: string, password: string, rawEmail: string): Promise<void> {
    const member = await this.access.requireActive(actorId);
    await this.recheckPassword(member, password, 'password');
    const newEmail = normaliseEmail(rawEmail);
    if (newEmail === member.email)
      throw invalid('newEmail', 'same_email', 'this is already your address');
    await this.budget.take([{ key: `email-change:${member.id}`, budget: budgets.perMember }]);
    const now = this.clock.now();
    await this.mails.supersede(member.id, 'email-change', now);
    if (await this.members.findActiveByEmail(newEmail)) {
      await this.queue('email-change-taken', newEmail, member.preferredLanguage, member.id);
      return;
    }
    await this.queue('email-change', newEmail, member.preferredLanguage, member.id);
  }

  private async recheckPassword(
    member: MemberRecord,
    password: string,
    path: string,
  ): Promise<void> {
    await this.throttle.assertAccountAllowed(member.email);
    if (!(await this.credentials.verifyPassword(member.passwordHash, password))) {
      await this.throttle.recordAccountFailure(member.email);
      throw invalid(path, 'wrong_password', 'the password is not correct');
    }
    await this.throttle.recordAccountSuccess(member.email);
  }

  private async setPassword(member: MemberRecord, password: string): Promise<void> {
    const passwordHash = await this.credentials.hashPassword(password);
    await this.updates.apply(member.id, () => ({ changes: { passwordHash }, events: [] }));
  }

  /** Ends every sign-in of the member but `keep` (their sockets too); returns how many ended. */
  private endSessions(memberId: string, keep: string | null): Promise<number> {
    return this.sessions.endAllOf(memberId, 'credentials-changed', keep, memberId);
  }

  /** The open link behind `token`, of one of `kinds` (unknown, used and expired look the same). */
  private async openLink(
    token: string,
    kinds: readonly AccountMailKind[],
  ): Promise<AccountMailRecord> {
    const link = await this.mails.findByTokenHash(this.credentials.sha256(token));
    const now = this.clock.now();
    if (
      !link ||
      !kinds.includes(link.kind) ||
      link.usedAt !== null ||
      link.expiresAt.getTime() <= now.getTime()
    )
      throw linkInvalid();
    return link;
  }

  /** Records a mail (with its link's token until it is sent) and `account-mail.queued`, in one write. */
  private async queue(
    kind: AccountMailKind,
    to: string,
    language: UiLanguage,
    memberId: string | null,
    signup: PendingSignup | null = null,
    address: string | null = null,
  ): Promise<void> {
    const now = this.clock.now();
    const id = this.mails.newId();
    const token = this.credentials.randomToken();
    const hasLink = LINK_TTL_MS[kind] > 0;
    const expiresAt = new Date(now.getTime() + (hasLink ? LINK_TTL_MS[kind] : 0));
    await this.mails.insert(
      {
        id,
        kind,
        memberId,
        to,
        language,
        tokenHash: this.credentials.sha256(token),
        pendingToken: hasLink ? token : null,
        signup,
        address,
        createdAt: now,
        expiresAt,
        usedAt: null,
        purgeAt: new Date(expiresAt.getTime() + KEEP_AFTER_EXPIRY_MS),
      },
      [pendingEvent(recoveryEvents.accountMailQueued, memberId, id, { mailId: id })],
    );
  }
}

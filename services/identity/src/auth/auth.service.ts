import { Injectable } from '@nestjs/common';
import { identityEvents, type identityRpc, type RpcPayload, type Session } from '@agora/proto';
import { RpcFailure, Clock, pendingEvent, type PendingEvent } from '@agora/platform';
import { normaliseEmail } from '../common/email.js';
import {
  InvitationRepository,
  type InvitationRecord,
} from '../invitations/invitation.repository.js';
import { MemberRepository } from '../members/member.repository.js';
import { MemberUpdates } from '../members/member-updates.service.js';
import type { MemberRecord, UiLanguage } from '../members/member.types.js';
import { EmailVerificationRepository } from '../recovery/email-verification.repository.js';
import { CredentialsRepository } from './credentials.repository.js';
import { DailyLogins } from './daily-login.service.js';
import { ABANDONED_CLAIM_MS, FirstAdmin } from './first-admin.service.js';
import { LoginThrottle } from './login-throttle.service.js';
import { checkPassword, passwordProblemMessage } from './password-policy.js';
import { SessionService, type ClientInfo } from './session.service.js';

/** What an account is made of, the password already hashed. */
export interface NewAccount {
  email: string;
  passwordHash: string;
  displayName: string;
  country: string;
  preferredLanguage: UiLanguage;
  timeZone?: string | undefined;
}

/** The one answer for every failed sign-in: unknown address and wrong password look the same. */
export const LOGIN_FAILED = 'email or password is incorrect';

function invalid(path: string, code: string, message: string): RpcFailure {
  return new RpcFailure('VALIDATION_FAILED', message, [{ path: [path], code, message }]);
}

@Injectable()
export class AuthService {
  constructor(
    private readonly members: MemberRepository,
    private readonly invitations: InvitationRepository,
    private readonly credentials: CredentialsRepository,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    private readonly dailyLogins: DailyLogins,
    private readonly firstAdmin: FirstAdmin,
    private readonly updates: MemberUpdates,
    private readonly clock: Clock,
    private readonly verifications: EmailVerificationRepository,
  ) {}

  /**
   * Creates the account and signs it in at once; a known address is refused with CONFLICT. The
   * gateway's `POST /auth/register` goes through `SignupService` instead, which decides when that
   * may happen without telling anyone whether the address had an account.
   */
  async register(req: RpcPayload<typeof identityRpc.register>): Promise<Session> {
    const email = normaliseEmail(req.email);
    const problem = checkPassword(req.password, { email, displayName: req.displayName });
    if (problem) throw invalid('password', problem, passwordProblemMessage(problem));
    const passwordHash = await this.credentials.hashPassword(req.password);
    return this.createAccount(
      {
        email,
        passwordHash,
        displayName: req.displayName,
        country: req.country,
        preferredLanguage: req.preferredLanguage,
        timeZone: req.timeZone,
      },
      { invitationToken: req.invitationToken, client: req.client, verified: false },
    );
  }

  /** Looks an invitation link up as registration will: usable, and for this address. */
  async checkInvitation(token: string, rawEmail: string): Promise<void> {
    await this.usableInvitation(token, normaliseEmail(rawEmail));
  }

  /**
   * Writes the account (admin if it is the install's first, or ADMIN_EMAIL's) and signs it in.
   * `verified`: the address was proven (a mailed sign-up link); an invitation link proves it too.
   */
  async createAccount(
    input: NewAccount,
    opts: { invitationToken?: string | undefined; client: ClientInfo; verified: boolean },
  ): Promise<Session> {
    const { email, passwordHash } = input;
    const req = { ...input, client: opts.client };
    const usable = opts.invitationToken
      ? await this.usableInvitation(opts.invitationToken, email)
      : null;
    const invitation = usable?.invitation ?? null;
    if (await this.members.findActiveByEmail(email))
      throw new RpcFailure('CONFLICT', 'this email is already registered');

    const id = this.members.newId();
    const now = this.clock.now();
    const decision = await this.firstAdmin.roleFor(id, email);
    let accepted = false;
    let inserted = false;
    try {
      if (invitation) {
        accepted = usable?.abandonedBy
          ? await this.invitations.takeOver(invitation.id, usable.abandonedBy, id, now)
          : await this.invitations.accept(invitation.id, id, now);
        if (!accepted)
          throw invalid(
            'invitationToken',
            'invitation_used',
            'this invitation was already used or has expired',
          );
      }
      const member: Omit<MemberRecord, 'rev'> = {
        id,
        email,
        passwordHash,
        displayName: req.displayName,
        bio: '',
        organisation: '',
        sector: null,
        country: req.country,
        languages: [],
        expertise: [],
        preferredLanguage: req.preferredLanguage,
        timeZone: req.timeZone ?? 'UTC',
        avatarUrl: null,
        coverUrl: null,
        role: decision.role,
        status: 'active',
        invitedBy: invitation?.inviterId ?? null,
        invitationId: invitation?.id ?? null,
        profileCompletedAt: null,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      };
      const events: PendingEvent[] = [
        pendingEvent(identityEvents.memberRegistered, id, id, {
          memberId: id,
          invitedBy: member.invitedBy,
        }),
      ];
      if (invitation) {
        events.push(
          pendingEvent(identityEvents.invitationAccepted, id, invitation.id, {
            invitationId: invitation.id,
            inviterId: invitation.inviterId,
            memberId: id,
          }),
        );
      }
      if ((await this.members.insert(member, events)) === 'duplicate-email') {
        throw new RpcFailure('CONFLICT', 'this email is already registered');
      }
      inserted = true;
      if (invitation || opts.verified) await this.verifications.markVerified(id, email, now);
      const created: MemberRecord = { ...member, rev: 0 };
      await this.dailyLogins.record(created, req.timeZone);
      return await this.sessions.issue(created, req.client);
    } catch (err) {
      // Give back what this registration claimed, unless its account exists after all (an insert
      // whose acknowledgement was lost); when in doubt keep the claims: never two first admins.
      const exists =
        inserted ||
        (await this.members.findById(id).then(
          (m) => m !== null,
          () => true,
        ));
      if (!exists) {
        await decision.release();
        if (accepted && invitation) await this.invitations.undoAccept(invitation.id, id);
      }
      throw err;
    }
  }

  async login(req: RpcPayload<typeof identityRpc.login>): Promise<Session> {
    const email = normaliseEmail(req.email);
    await this.throttle.assertAllowed(email, req.client.ip);
    const member = await this.members.findActiveByEmail(email);
    // Unknown accounts cost one argon2 verification too, so timing does not tell them apart.
    const ok = member
      ? await this.credentials.verifyPassword(member.passwordHash, req.password)
      : await this.credentials.verifyDummy(req.password);
    if (!ok || !member) {
      await this.throttle.recordFailure(email, req.client.ip);
      throw new RpcFailure('UNAUTHENTICATED', LOGIN_FAILED);
    }
    await this.throttle.recordSuccess(email, req.client.ip);
    // Hashes made with older argon2 parameters are upgraded while the password is at hand.
    if (this.credentials.needsRehash(member.passwordHash)) {
      const passwordHash = await this.credentials.hashPassword(req.password);
      await this.updates.apply(member.id, (current) =>
        current.passwordHash === member.passwordHash
          ? { changes: { passwordHash }, events: [] }
          : null,
      );
    }
    await this.dailyLogins.record(member, req.timeZone);
    return this.sessions.issue(member, req.client);
  }

  async refresh(req: RpcPayload<typeof identityRpc.refresh>): Promise<Session> {
    const { session, member } = await this.sessions.rotate(req.refreshToken, req.client);
    await this.dailyLogins.record(member, req.timeZone);
    return session;
  }

  async logout(req: RpcPayload<typeof identityRpc.logout>): Promise<{ ok: true }> {
    await this.sessions.end(req.refreshToken);
    return { ok: true };
  }

  /**
   * The invitation behind a link, if it can still be used: open and unexpired, or accepted by an
   * account that was never written (a registration that stopped between the two writes) a while ago.
   */
  private async usableInvitation(
    token: string,
    email: string,
  ): Promise<{ invitation: InvitationRecord; abandonedBy: string | null }> {
    const now = this.clock.now();
    const invitation = await this.invitations.findByTokenHash(this.credentials.sha256(token));
    if (invitation && invitation.expiresAt.getTime() > now.getTime()) {
      // The link is the invitee's: it proves their address, so it works for that address only.
      if (invitation.email !== email)
        throw invalid(
          'email',
          'invitation_other_address',
          'this invitation is for another address: register with the address it was sent to',
        );
      if (invitation.status === 'sent') return { invitation, abandonedBy: null };
      const by = invitation.acceptedMemberId;
      if (
        by &&
        invitation.acceptedAt &&
        now.getTime() - invitation.acceptedAt.getTime() > ABANDONED_CLAIM_MS &&
        (await this.members.findById(by)) === null
      ) {
        return { invitation, abandonedBy: by };
      }
    }
    throw invalid(
      'invitationToken',
      'invitation_invalid',
      'this invitation link is invalid, used or expired',
    );
  }
}

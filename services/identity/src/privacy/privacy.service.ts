import { Injectable } from '@nestjs/common';
import { identityEvents, type identityRpc, type RpcResponse } from '@agora/proto';
import { RpcFailure, Clock, pendingEvent } from '@agora/platform';
import { AdminRosterLock } from '../admin/admin-roster-lock.repository.js';
import { CredentialsRepository } from '../auth/credentials.repository.js';
import { DailyLoginRepository } from '../auth/daily-login.repository.js';
import { LoginThrottle } from '../auth/login-throttle.service.js';
import { SessionRepository, type SessionRecord } from '../auth/session.repository.js';
import { InvitationRepository } from '../invitations/invitation.repository.js';
import { toInvitationView } from '../invitations/invitation.service.js';
import { MailRepository } from '../mail/mail.repository.js';
import { AccountMailRepository } from '../recovery/account-mail.repository.js';
import { EmailVerificationRepository } from '../recovery/email-verification.repository.js';
import { MediaService } from '../media/media.service.js';
import { MemberAccess } from '../members/member-access.service.js';
import { MemberRepository, type MemberChanges } from '../members/member.repository.js';
import { MemberUpdates } from '../members/member-updates.service.js';
import { toPrivateMember } from '../members/member.view.js';
import { SuspensionRepository } from '../admin/suspension.repository.js';

/** A unique address that can never receive mail (RFC 2606 reserves `.invalid`). */
export function erasedEmail(memberId: string): string {
  return `deleted-${memberId}@deleted.invalid`;
}

/** What is left of a member after deletion: an anonymous record others' contributions can point at. */
export function erasure(memberId: string, at: Date): MemberChanges {
  return {
    email: erasedEmail(memberId),
    passwordHash: '',
    displayName: '',
    bio: '',
    organisation: '',
    sector: null,
    country: 'ZZ',
    languages: [],
    expertise: [],
    timeZone: 'UTC',
    avatarUrl: null,
    coverUrl: null,
    invitedBy: null,
    invitationId: null,
    role: 'member',
    status: 'deleted',
    deletedAt: at,
  };
}

/** One entry per sign-in (token family): when it began, when it was last refreshed, from where. */
export function sessionsForExport(
  records: readonly SessionRecord[],
): RpcResponse<typeof identityRpc.meExport>['sessions'] {
  const families = new Map<string, SessionRecord>();
  for (const r of records) {
    const seen = families.get(r.familyId);
    if (!seen || seen.createdAt < r.createdAt) families.set(r.familyId, r);
  }
  return [...families.values()]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((latest) => ({
      createdAt: latest.familyCreatedAt.toISOString(),
      lastUsedAt: latest.createdAt.toISOString(),
      ip: latest.ip,
      userAgent: latest.userAgent,
    }));
}

/** GDPR: download my data; delete my account (personal data erased, contributions kept anonymous). */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly access: MemberAccess,
    private readonly members: MemberRepository,
    private readonly updates: MemberUpdates,
    private readonly credentials: CredentialsRepository,
    private readonly throttle: LoginThrottle,
    private readonly roster: AdminRosterLock,
    private readonly sessions: SessionRepository,
    private readonly dailyLogins: DailyLoginRepository,
    private readonly invitations: InvitationRepository,
    private readonly mails: MailRepository,
    private readonly media: MediaService,
    private readonly clock: Clock,
    private readonly accountMails: AccountMailRepository,
    private readonly verifications: EmailVerificationRepository,
    private readonly suspensions: SuspensionRepository,
  ) {}

  async export(actorId: string): Promise<RpcResponse<typeof identityRpc.meExport>> {
    const member = await this.access.requireActive(actorId);
    const [invitations, sessions, days] = await Promise.all([
      this.invitations.listByInviter(actorId),
      this.sessions.listForMember(actorId),
      this.dailyLogins.days(actorId),
    ]);
    return {
      exportedAt: this.clock.now().toISOString(),
      account: toPrivateMember(member),
      invitationsSent: invitations.map(toInvitationView),
      sessions: sessionsForExport(sessions),
      dailyLogins: days,
    };
  }

  async delete(actorId: string, password: string): Promise<{ ok: true }> {
    const member = await this.access.requireActive(actorId);
    // The password re-check is throttled like a sign-in, so a stolen access token cannot guess it.
    await this.throttle.assertAccountAllowed(member.email);
    if (!(await this.credentials.verifyPassword(member.passwordHash, password))) {
      await this.throttle.recordAccountFailure(member.email);
      throw new RpcFailure('FORBIDDEN', 'password is incorrect');
    }
    // Under the roster lease (see AdminRosterLock): the role is read again there, since another
    // admin may be changing it right now.
    const images = await this.roster.run(async () => {
      const current = await this.access.requireActive(actorId);
      if (current.role === 'admin' && (await this.members.countActiveAdmins()) <= 1) {
        throw new RpcFailure(
          'CONFLICT',
          'the last admin cannot delete their account; make someone else admin first',
        );
      }
      return this.erase(actorId, current.email);
    });
    await this.throttle.recordAccountSuccess(member.email);
    for (const url of images) if (url) await this.media.dropIfUnused(url);
    return { ok: true };
  }

  /** Returns the images the account showed when it was erased (to drop once nobody else does). */
  private async erase(actorId: string, email: string): Promise<(string | null)[]> {
    // Personal data kept beside the account goes first: if this is interrupted, the account is
    // still active and the member can simply delete it again.
    await this.sessions.deleteForMember(actorId);
    await this.dailyLogins.deleteForMember(actorId);
    const erased = erasedEmail(actorId);
    // The invitations they sent (the addresses they invited), and the address in those others
    // sent them, with every mail of either and every mail to their address.
    const sent = await this.invitations.deleteByInviter(actorId, erased);
    const received = await this.invitations.eraseInvitee(actorId, email, erased);
    await this.mails.deleteByKeys([...sent, ...received].map((id) => `invitation:${id}`));
    // Reset, verification and email-change links and notices (some to addresses they had before).
    const accountMails = await this.accountMails.eraseFor(actorId, email, erased);
    await this.mails.deleteByKeys(accountMails.map((id) => `account:${id}`));
    await this.verifications.deleteFor(actorId);
    // A past suspension's reasons are an admin's words about them.
    await this.suspensions.deleteFor(actorId);
    await this.mails.deleteTo(email);
    const now = this.clock.now();
    let images: (string | null)[] = [];
    // read from the state the erasure replaced: an image set a moment ago is dropped too
    await this.updates.apply(actorId, (current) => {
      images = [current.avatarUrl, current.coverUrl];
      return {
        changes: erasure(actorId, now),
        events: [
          pendingEvent(identityEvents.memberDeleted, actorId, actorId, { memberId: actorId }),
        ],
      };
    });
    // a refresh that slipped in before the account was marked deleted left a session behind
    await this.sessions.deleteForMember(actorId);
    return images;
  }
}

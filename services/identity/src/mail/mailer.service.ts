import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@agora/platform';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';
import { InvitationRepository } from '../invitations/invitation.repository.js';
import { MemberRepository } from '../members/member.repository.js';
import { invitationMail } from './invitation-mail.js';
import { MailRepository } from './mail.repository.js';
import { MailTransportRepository } from './mail-transport.repository.js';

/** An SMTP attempt holds the right to send for this long (longer than any SMTP timeout). */
export const SEND_LEASE_MS = 120_000;

export class MailBusyError extends Error {
  constructor(key: string) {
    super(`another attempt is sending ${key}; retry later`);
    this.name = 'MailBusyError';
  }
}

/** What to do with the link token in the mail record (SMTP mail keeps no usable link in the database). */
function redact(text: string, token: string): string {
  return text.split(token).join('[token removed]');
}

/**
 * Sends invitation mail for `invitation.sent` exactly once per invitation, however often the
 * event is delivered: the mail record's unique key decides. Address and token come from
 * identity's own database, never from the bus.
 */
@Injectable()
export class MailerService {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly invitations: InvitationRepository,
    private readonly members: MemberRepository,
    private readonly mails: MailRepository,
    private readonly transport: MailTransportRepository,
    private readonly clock: Clock,
  ) {}

  /** Returns what happened, for logs and tests. Throws to have the event redelivered later. */
  async onInvitationSent(invitationId: string): Promise<'sent' | 'kept' | 'already' | 'skipped'> {
    const key = `invitation:${invitationId}`;
    const existing = await this.mails.findByKey(key);
    if (existing?.status === 'sent') {
      await this.invitations.clearPendingToken(invitationId);
      return 'already';
    }
    const invitation = await this.invitations.findById(invitationId);
    // Erased with its inviter's account, or already used: nothing to send.
    if (!invitation) return 'skipped';
    const inviter = await this.members.findById(invitation.inviterId);
    if (
      !inviter ||
      inviter.status !== 'active' ||
      invitation.status !== 'sent' ||
      !invitation.pendingToken
    ) {
      await this.invitations.clearPendingToken(invitationId);
      return 'skipped';
    }
    const token = invitation.pendingToken;
    const link = `${this.config.PUBLIC_URL}/register?invite=${encodeURIComponent(token)}`;
    const content = invitationMail({
      inviterName: inviter.displayName,
      message: invitation.message,
      link,
      language: invitation.language ?? inviter.preferredLanguage,
    });
    const now = this.clock.now();

    if (this.transport.kind === 'dev-mailbox') {
      const inserted = await this.mails.insertOnce(
        {
          key,
          to: invitation.email,
          ...content,
          transport: 'dev-mailbox',
          status: 'sent',
          error: null,
          createdAt: now,
        },
        now,
        null,
      );
      await this.invitations.clearPendingToken(invitationId);
      return inserted ? 'kept' : 'already';
    }

    const leaseUntil = new Date(now.getTime() + SEND_LEASE_MS);
    const claimed =
      (await this.mails.insertOnce(
        {
          key,
          to: invitation.email,
          subject: content.subject,
          text: redact(content.text, token),
          html: redact(content.html, encodeURIComponent(token)),
          transport: 'smtp',
          status: 'sending',
          error: null,
          createdAt: now,
        },
        now,
        leaseUntil,
      )) || (await this.mails.lease(key, now, leaseUntil));
    if (!claimed) {
      const again = await this.mails.findByKey(key);
      if (again?.status === 'sent') return 'already';
      throw new MailBusyError(key);
    }
    try {
      await this.transport.send({ to: invitation.email, ...content });
    } catch (err) {
      await this.mails.markFailed(key, err instanceof Error ? err.message : String(err));
      throw err;
    }
    await this.mails.markSent(key, this.clock.now());
    await this.invitations.clearPendingToken(invitationId);
    return 'sent';
  }
}

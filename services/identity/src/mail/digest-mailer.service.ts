import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@agora/platform';
import type { DigestCounts } from '@agora/proto';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';
import { MemberRepository } from '../members/member.repository.js';
import { digestMail } from './digest-mail.js';
import { MailRepository } from './mail.repository.js';
import { MailTransportRepository } from './mail-transport.repository.js';
import { MailBusyError, SEND_LEASE_MS } from './mailer.service.js';

export type DigestMailOutcome = 'sent' | 'kept' | 'already' | 'skipped';

/**
 * Mails chat's daily notification digest to a member, in their language, at most once per member
 * and day whatever chat asks: the mail record's unique key `digest:<memberId>:<day>` decides (the
 * same lease as invitation mail keeps two attempts from both sending over SMTP).
 */
@Injectable()
export class DigestMailerService {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly members: MemberRepository,
    private readonly mails: MailRepository,
    private readonly transport: MailTransportRepository,
    private readonly clock: Clock,
  ) {}

  async send(memberId: string, day: string, counts: DigestCounts): Promise<DigestMailOutcome> {
    const key = `digest:${memberId}:${day}`;
    const existing = await this.mails.findByKey(key);
    if (existing?.status === 'sent') return 'already';
    const member = await this.members.findById(memberId);
    if (!member || member.status !== 'active') return 'skipped';
    const content = digestMail({
      displayName: member.displayName,
      counts,
      link: `${this.config.PUBLIC_URL}/notifications`,
      language: member.preferredLanguage,
    });
    const now = this.clock.now();
    const mail = { key, to: member.email, ...content, error: null, createdAt: now };
    if (this.transport.kind === 'dev-mailbox') {
      const inserted = await this.mails.insertOnce(
        { ...mail, transport: 'dev-mailbox', status: 'sent' },
        now,
        null,
      );
      return inserted ? 'kept' : 'already';
    }
    const leaseUntil = new Date(now.getTime() + SEND_LEASE_MS);
    const claimed =
      (await this.mails.insertOnce(
        { ...mail, transport: 'smtp', status: 'sending' },
        now,
        leaseUntil,
      )) || (await this.mails.lease(key, now, leaseUntil));
    if (!claimed) {
      const again = await this.mails.findByKey(key);
      if (again?.status === 'sent') return 'already';
      throw new MailBusyError(key);
    }
    try {
      await this.transport.send({ to: member.email, ...content });
    } catch (err) {
      await this.mails.markFailed(key, err instanceof Error ? err.message : String(err));
      throw err;
    }
    await this.mails.markSent(key, this.clock.now());
    return 'sent';
  }
}

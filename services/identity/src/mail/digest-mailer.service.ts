import { Inject, Injectable } from '@nestjs/common';
import type { DigestCounts } from '@agora/proto';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';
import { MemberRepository } from '../members/member.repository.js';
import { digestMail } from './digest-mail.js';
import { MailRepository } from './mail.repository.js';
import { OnceMailer } from './once-mailer.service.js';

export type DigestMailOutcome = 'sent' | 'kept' | 'already' | 'skipped';

/**
 * Mails chat's daily notification digest to a member, in their language, at most once per member
 * and day whatever chat asks: the mail record's unique key `digest:<memberId>:<day>` decides
 * (`OnceMailer`).
 */
@Injectable()
export class DigestMailerService {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly members: MemberRepository,
    private readonly mails: MailRepository,
    private readonly once: OnceMailer,
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
    return this.once.deliver(key, member.email, content);
  }
}

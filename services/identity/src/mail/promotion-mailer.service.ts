import { Inject, Injectable } from '@nestjs/common';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';
import { MemberRepository } from '../members/member.repository.js';
import { OnceMailer, type OnceMailOutcome } from './once-mailer.service.js';
import { promotionMail } from './promotion-mail.js';

/**
 * Tells a member by mail, in their language, that a workshop's waiting list gave them a place:
 * once per promotion event (`promotion:<sourceId>`), however often chat asks.
 */
@Injectable()
export class PromotionMailerService {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly members: MemberRepository,
    private readonly once: OnceMailer,
  ) {}

  async send(
    memberId: string,
    workshopId: string,
    sourceId: string,
  ): Promise<OnceMailOutcome | 'skipped'> {
    const member = await this.members.findById(memberId);
    if (!member || member.status !== 'active') return 'skipped';
    const content = promotionMail({
      displayName: member.displayName,
      link: `${this.config.PUBLIC_URL}/workshops/${workshopId}`,
      language: member.preferredLanguage,
    });
    return this.once.deliver(`promotion:${sourceId}`, member.email, content);
  }
}

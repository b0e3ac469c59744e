import { Inject, Injectable } from '@nestjs/common';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';
import { accountMail } from '../mail/account-mail.js';
import { OnceMailer, type OnceMailOutcome } from '../mail/once-mailer.service.js';
import { AccountMailRepository } from './account-mail.repository.js';
import type { AccountMailKind } from './account-mail.schema.js';

/** The web page each link opens. */
const pageOf: Partial<Record<AccountMailKind, string>> = {
  signup: '/verify-email',
  verify: '/verify-email',
  'email-change': '/verify-email',
  reset: '/reset-password',
  'signup-known': '/reset-password',
};

/**
 * Sends the mail of `account-mail.queued` once (mail key `account:<id>`), however often the event
 * is delivered. Address, language and token come from identity's own store, never from the bus.
 */
@Injectable()
export class AccountMailerService {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly mails: AccountMailRepository,
    private readonly once: OnceMailer,
  ) {}

  async onQueued(mailId: string): Promise<OnceMailOutcome | 'skipped'> {
    const mail = await this.mails.findById(mailId);
    // Erased with its account meanwhile (or purged): nothing to send.
    if (!mail || (mail.usedAt !== null && mail.usedAt.getTime() === 0)) return 'skipped';
    const page = pageOf[mail.kind];
    const token = mail.pendingToken;
    // A link mail whose token is gone was recorded by an earlier delivery.
    if (page && !token) return 'already';
    const link =
      page && token ? `${this.config.PUBLIC_URL}${page}?token=${encodeURIComponent(token)}` : null;
    const content = accountMail({
      kind: mail.kind,
      language: mail.language,
      link,
      address: mail.address ?? mail.to,
    });
    const outcome = await this.once.deliver(
      `account:${mail.id}`,
      mail.to,
      content,
      token ?? undefined,
    );
    if (token) await this.mails.clearPendingToken(mail.id);
    return outcome;
  }
}

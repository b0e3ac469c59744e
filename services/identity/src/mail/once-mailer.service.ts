import { Injectable } from '@nestjs/common';
import { Clock } from '@agora/platform';
import { MailRepository } from './mail.repository.js';
import { MailTransportRepository } from './mail-transport.repository.js';
import { MailBusyError, SEND_LEASE_MS } from './mailer.service.js';

export type OnceMailOutcome = 'sent' | 'kept' | 'already';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

function redacted(content: MailContent, secret: string | undefined): MailContent {
  if (!secret) return content;
  const cut = (text: string, token: string) => text.split(token).join('[token removed]');
  return {
    subject: content.subject,
    text: cut(content.text, secret),
    html: cut(cut(content.html, encodeURIComponent(secret)), secret),
  };
}

/**
 * Sends one mail at most once for its key, whoever asks again: the mail record's unique key
 * decides, and the same lease as invitation mail keeps two attempts from both sending over SMTP.
 * In the dev mailbox the mail is kept instead of sent.
 */
@Injectable()
export class OnceMailer {
  constructor(
    private readonly mails: MailRepository,
    private readonly transport: MailTransportRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * `secret` (a link's token) stays readable in the dev mailbox, where the mail record is the only
   * copy; a mail sent over SMTP is recorded without it, so the database holds no usable link.
   */
  async deliver(
    key: string,
    to: string,
    content: MailContent,
    secret?: string,
  ): Promise<OnceMailOutcome> {
    const now = this.clock.now();
    const mail = { key, to, ...content, error: null, createdAt: now };
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
        { ...mail, ...redacted(content, secret), transport: 'smtp', status: 'sending' },
        now,
        leaseUntil,
      )) || (await this.mails.lease(key, now, leaseUntil));
    if (!claimed) {
      const again = await this.mails.findByKey(key);
      if (again?.status === 'sent') return 'already';
      throw new MailBusyError(key);
    }
    try {
      await this.transport.send({ to, ...content });
    } catch (err) {
      await this.mails.markFailed(key, err instanceof Error ? err.message : String(err));
      throw err;
    }
    await this.mails.markSent(key, this.clock.now());
    return 'sent';
  }
}

import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** SMTP through nodemailer when SMTP_URL is set; otherwise mail is only kept in the dev mailbox. */
@Injectable()
export class MailTransportRepository implements OnModuleDestroy {
  private readonly transporter: Transporter | null;
  readonly from: string;

  constructor(@Inject(IDENTITY_CONFIG) config: IdentityConfig) {
    this.transporter = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : null;
    this.from = config.MAIL_FROM;
  }

  get kind(): 'smtp' | 'dev-mailbox' {
    return this.transporter ? 'smtp' : 'dev-mailbox';
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transporter) throw new Error('no SMTP transport configured');
    await this.transporter.sendMail({ from: this.from, ...mail });
  }

  onModuleDestroy(): void {
    this.transporter?.close();
  }
}

import { describe, expect, it } from 'vitest';
import type { IdentityConfig } from '../common/identity-config.js';
import type { MailRecord, MailRepository, NewMail } from '../mail/mail.repository.js';
import type { MailTransportRepository, OutgoingMail } from '../mail/mail-transport.repository.js';
import { OnceMailer } from '../mail/once-mailer.service.js';
import { client, identityHarness, registration } from '../testing/harness.js';
import type { AccountMailRepository } from './account-mail.repository.js';
import { AccountMailerService } from './account-mailer.service.js';

/** Mail records with the unique key of the real repository. */
class FakeMailRecords {
  readonly docs = new Map<string, MailRecord>();
  findByKey(key: string): Promise<MailRecord | null> {
    return Promise.resolve(this.docs.get(key) ?? null);
  }
  insertOnce(mail: NewMail): Promise<boolean> {
    if (this.docs.has(mail.key)) return Promise.resolve(false);
    this.docs.set(mail.key, { ...mail, id: String(this.docs.size + 1) });
    return Promise.resolve(true);
  }
  lease(): Promise<boolean> {
    return Promise.resolve(false);
  }
  markSent(key: string): Promise<void> {
    const d = this.docs.get(key);
    if (d) d.status = 'sent';
    return Promise.resolve();
  }
  markFailed(key: string, error: string): Promise<void> {
    const d = this.docs.get(key);
    if (d) Object.assign(d, { status: 'failed', error });
    return Promise.resolve();
  }
}

class FakeTransport {
  readonly sent: OutgoingMail[] = [];
  constructor(readonly kind: 'smtp' | 'dev-mailbox') {}
  send(mail: OutgoingMail): Promise<void> {
    this.sent.push(mail);
    return Promise.resolve();
  }
}

function setup(kind: 'smtp' | 'dev-mailbox') {
  const h = identityHarness();
  const records = new FakeMailRecords();
  const transport = new FakeTransport(kind);
  const mailer = new AccountMailerService(
    { PUBLIC_URL: 'http://agora.test' } as IdentityConfig,
    h.fakes.accountMails as unknown as AccountMailRepository,
    new OnceMailer(
      records as unknown as MailRepository,
      transport as unknown as MailTransportRepository,
      h.fakes.clock,
    ),
  );
  return { ...h, records, transport, mailer };
}

describe('AccountMailerService', () => {
  it('mails a reset link once, in the member’s language, clickable, then forgets the raw token', async () => {
    const h = setup('dev-mailbox');
    await h.sut.auth.register(registration({ email: 'sara@example.org', preferredLanguage: 'es' }));
    await h.sut.recovery.requestPasswordReset('sara@example.org', client);
    const [link] = h.fakes.accountMails.to('sara@example.org', 'reset');
    const token = link?.pendingToken ?? '';
    expect(await h.mailer.onQueued(link?.id ?? '')).toBe('kept');
    expect(await h.mailer.onQueued(link?.id ?? '')).toBe('already');
    expect(h.records.docs.size).toBe(1);
    const mail = h.records.docs.get(`account:${link?.id}`);
    expect(mail?.subject).toBe('Agora: elige una nueva contraseña');
    const url = `http://agora.test/reset-password?token=${encodeURIComponent(token)}`;
    expect(mail?.text).toContain(url);
    expect(mail?.html).toContain(`<a href="${url}">`);
    expect(h.fakes.accountMails.docs.get(link?.id ?? '')?.pendingToken).toBeNull();
  });

  it('sends over SMTP with the link but records the mail without the token', async () => {
    const h = setup('smtp');
    await h.sut.auth.register(registration({ email: 'omar@example.org', preferredLanguage: 'ar' }));
    await h.sut.recovery.requestPasswordReset('omar@example.org', client);
    const [link] = h.fakes.accountMails.to('omar@example.org', 'reset');
    const token = link?.pendingToken ?? '';
    expect(await h.mailer.onQueued(link?.id ?? '')).toBe('sent');
    expect(h.transport.sent[0]?.text).toContain(token);
    expect(h.transport.sent[0]?.html).toContain('dir="rtl"');
    const record = h.records.docs.get(`account:${link?.id}`);
    expect(record?.text).not.toContain(token);
    expect(record?.html).not.toContain(encodeURIComponent(token));
    expect(record?.text).toContain('[token removed]');
  });

  it('sends notices without a link, and nothing for a mail erased with its account', async () => {
    const h = setup('dev-mailbox');
    const a = await h.sut.auth.register(registration({ email: 'a@example.org' }));
    await h.sut.auth.register(registration({ email: 'b@example.org' }));
    await h.sut.recovery.changeEmail(a.user.id, 'olive trees by the harbour', 'b@example.org');
    const [notice] = h.fakes.accountMails.to('b@example.org', 'email-change-taken');
    expect(await h.mailer.onQueued(notice?.id ?? '')).toBe('kept');
    const mail = h.records.docs.get(`account:${notice?.id}`);
    expect(mail?.subject).toBe('Agora : une demande d’utiliser votre adresse');
    expect(mail?.text).not.toContain('http');
    expect(await h.mailer.onQueued('f'.repeat(24))).toBe('skipped');
  });
});

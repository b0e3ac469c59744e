import { describe, expect, it } from 'vitest';
import type { IdentityConfig } from '../common/identity-config.js';
import type { InvitationRepository } from '../invitations/invitation.repository.js';
import type { MemberRepository } from '../members/member.repository.js';
import { identityHarness, registration } from '../testing/harness.js';
import type { MailRecord, MailRepository, NewMail } from './mail.repository.js';
import type { MailTransportRepository, OutgoingMail } from './mail-transport.repository.js';
import { MailBusyError, MailerService, SEND_LEASE_MS } from './mailer.service.js';

/** Mail records with the real repository's guarantees: unique key, leases that exclude each other. */
class FakeMailRecords {
  readonly docs = new Map<string, MailRecord & { leaseUntil: Date | null }>();
  findByKey(key: string): Promise<MailRecord | null> {
    const d = this.docs.get(key);
    return Promise.resolve(d ? { ...d } : null);
  }
  insertOnce(mail: NewMail, _at: Date, leaseUntil: Date | null): Promise<boolean> {
    if (this.docs.has(mail.key)) return Promise.resolve(false);
    this.docs.set(mail.key, { ...mail, id: String(this.docs.size + 1), leaseUntil });
    return Promise.resolve(true);
  }
  lease(key: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const d = this.docs.get(key);
    if (!d || d.status === 'sent' || (d.leaseUntil && d.leaseUntil > now))
      return Promise.resolve(false);
    Object.assign(d, { status: 'sending', leaseUntil });
    return Promise.resolve(true);
  }
  markSent(key: string): Promise<void> {
    const d = this.docs.get(key);
    if (d) Object.assign(d, { status: 'sent', error: null, leaseUntil: null });
    return Promise.resolve();
  }
  markFailed(key: string, error: string): Promise<void> {
    const d = this.docs.get(key);
    if (d) Object.assign(d, { status: 'failed', error, leaseUntil: null });
    return Promise.resolve();
  }
}

class FakeTransport {
  readonly sent: OutgoingMail[] = [];
  failures = 0;
  constructor(readonly kind: 'smtp' | 'dev-mailbox') {}
  send(mail: OutgoingMail): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('421 try again later'));
    }
    this.sent.push(mail);
    return Promise.resolve();
  }
}

async function setup(kind: 'smtp' | 'dev-mailbox') {
  const h = identityHarness();
  const records = new FakeMailRecords();
  const transport = new FakeTransport(kind);
  const mailer = new MailerService(
    { PUBLIC_URL: 'http://agora.test' } as IdentityConfig,
    h.fakes.invitations as unknown as InvitationRepository,
    h.fakes.members as unknown as MemberRepository,
    records as unknown as MailRepository,
    transport as unknown as MailTransportRepository,
    h.fakes.clock,
  );
  const inviter = await h.sut.auth.register(registration({ displayName: 'Karim' }));
  const invitation = await h.sut.invitations.create(
    inviter.user.id,
    'guest@example.org',
    'See you in Tunis',
  );
  const token = h.fakes.invitations.docs.get(invitation.id)?.pendingToken ?? '';
  return { ...h, records, transport, mailer, inviter, invitation, token };
}

describe('MailerService with the dev mailbox', () => {
  it('keeps one mail per invitation however often the event arrives, then forgets the raw token', async () => {
    const { mailer, records, invitation, token, fakes } = await setup('dev-mailbox');
    expect(await mailer.onInvitationSent(invitation.id)).toBe('kept');
    expect(await mailer.onInvitationSent(invitation.id)).toBe('already');
    expect(await mailer.onInvitationSent(invitation.id)).toBe('already');
    expect(records.docs.size).toBe(1);
    const mail = [...records.docs.values()][0];
    expect(mail).toMatchObject({
      to: 'guest@example.org',
      transport: 'dev-mailbox',
      status: 'sent',
    });
    expect(mail?.text).toContain(`http://agora.test/register?invite=${token}`);
    expect(fakes.invitations.docs.get(invitation.id)?.pendingToken).toBeNull();
  });

  it('sends nothing once the inviter deleted their account (their invitations are erased)', async () => {
    const { mailer, records, invitation, inviter, sut, fakes } = await setup('dev-mailbox');
    await sut.auth.register(registration()); // someone else, so the inviter is not the last admin
    await sut.admin.setRole(inviter.user.id, [...fakes.members.docs.keys()][1] ?? '', 'admin');
    await sut.privacy.delete(inviter.user.id, 'olive trees by the harbour');
    expect(await mailer.onInvitationSent(invitation.id)).toBe('skipped');
    expect(records.docs.size).toBe(0);
  });
});

describe('MailerService with SMTP', () => {
  it('sends once, records the mail without a usable link, and is idempotent afterwards', async () => {
    const { mailer, records, transport, invitation, token } = await setup('smtp');
    expect(await mailer.onInvitationSent(invitation.id)).toBe('sent');
    expect(await mailer.onInvitationSent(invitation.id)).toBe('already');
    expect(transport.sent).toHaveLength(1);
    expect(transport.sent[0]?.text).toContain(token);
    const record = [...records.docs.values()][0];
    expect(record?.status).toBe('sent');
    expect(record?.text).not.toContain(token);
    expect(record?.html).not.toContain(token);
  });

  it('records a failure and throws so the event is redelivered; the retry sends', async () => {
    const { mailer, records, transport, invitation, fakes } = await setup('smtp');
    transport.failures = 1;
    await expect(mailer.onInvitationSent(invitation.id)).rejects.toThrow(/421/);
    expect([...records.docs.values()][0]).toMatchObject({
      status: 'failed',
      error: '421 try again later',
    });
    // the token is still there for the retry
    expect(fakes.invitations.docs.get(invitation.id)?.pendingToken).not.toBeNull();
    expect(await mailer.onInvitationSent(invitation.id)).toBe('sent');
    expect(transport.sent).toHaveLength(1);
  });

  it('does not send twice when two deliveries overlap: the second waits for the lease', async () => {
    const { mailer, records, transport, invitation, fakes } = await setup('smtp');
    // a first attempt took the lease and is still talking to the SMTP server
    records.docs.set(`invitation:${invitation.id}`, {
      id: '1',
      key: `invitation:${invitation.id}`,
      to: 'guest@example.org',
      subject: 's',
      text: 't',
      html: 'h',
      transport: 'smtp',
      status: 'sending',
      error: null,
      createdAt: fakes.clock.now(),
      leaseUntil: new Date(fakes.clock.now().getTime() + SEND_LEASE_MS),
    });
    await expect(mailer.onInvitationSent(invitation.id)).rejects.toBeInstanceOf(MailBusyError);
    expect(transport.sent).toHaveLength(0);
    // that attempt crashed: once its lease runs out, a redelivery sends
    fakes.clock.advance(SEND_LEASE_MS + 1);
    expect(await mailer.onInvitationSent(invitation.id)).toBe('sent');
    expect(transport.sent).toHaveLength(1);
  });
});

describe('the invitation mail language', () => {
  it('is the one the inviter chose, else their own', async () => {
    const { mailer, records, sut, inviter, fakes } = await setup('dev-mailbox');
    const chosen = await sut.invitations.create(inviter.user.id, 'amal@example.org', '', 'ar');
    const own = await sut.invitations.create(inviter.user.id, 'joao@example.org', '');
    expect(fakes.invitations.docs.get(chosen.id)?.language).toBe('ar');
    expect(fakes.invitations.docs.get(own.id)?.language).toBe('fr');
    await mailer.onInvitationSent(chosen.id);
    await mailer.onInvitationSent(own.id);
    const to = (address: string) => [...records.docs.values()].find((m) => m.to === address);
    expect(to('amal@example.org')?.subject).toBe('Karim يدعوك إلى Agora');
    expect(to('amal@example.org')?.html).toContain('dir="rtl"');
    expect(to('joao@example.org')?.subject).toBe('Karim vous invite sur Agora');
  });
});

// In-memory stand-ins for the recovery repositories (same contracts: unique token hashes,
// single-use consumption before expiry), for the services' unit tests.
import { randomBytes } from 'node:crypto';
import type { PendingEvent } from '@agora/platform';
import type {
  AccountMailRecord,
  AccountMailRepository,
} from '../recovery/account-mail.repository.js';
import type { AccountMailKind } from '../recovery/account-mail.schema.js';
import type { EmailVerificationRepository } from '../recovery/email-verification.repository.js';
import type { EventLog } from './fakes.js';

type Public<T> = { [K in keyof T]: T[K] };

export class FakeAccountMails implements Public<AccountMailRepository> {
  readonly docs = new Map<string, AccountMailRecord>();
  constructor(readonly log: EventLog) {}
  newId(): string {
    return randomBytes(12).toString('hex');
  }
  insert(mail: AccountMailRecord, events: readonly PendingEvent[]): Promise<void> {
    if ([...this.docs.values()].some((d) => d.tokenHash === mail.tokenHash))
      throw new Error('E11000 duplicate tokenHash');
    this.docs.set(mail.id, { ...mail });
    this.log.add(mail.id, events);
    return Promise.resolve();
  }
  findById(id: string): Promise<AccountMailRecord | null> {
    const d = this.docs.get(id);
    return Promise.resolve(d ? { ...d } : null);
  }
  findByTokenHash(tokenHash: string): Promise<AccountMailRecord | null> {
    const d = [...this.docs.values()].find((m) => m.tokenHash === tokenHash);
    return Promise.resolve(d ? { ...d } : null);
  }
  consume(id: string, at: Date): Promise<boolean> {
    const d = this.docs.get(id);
    if (!d || d.usedAt !== null || d.expiresAt.getTime() <= at.getTime())
      return Promise.resolve(false);
    d.usedAt = at;
    return Promise.resolve(true);
  }
  supersede(memberId: string, kind: AccountMailKind, at: Date): Promise<void> {
    for (const d of this.docs.values())
      if (d.memberId === memberId && d.kind === kind && d.usedAt === null) d.usedAt = at;
    return Promise.resolve();
  }
  findOpen(memberId: string, kind: AccountMailKind, now: Date): Promise<AccountMailRecord | null> {
    const open = [...this.docs.values()]
      .filter(
        (d) =>
          d.memberId === memberId &&
          d.kind === kind &&
          d.usedAt === null &&
          d.expiresAt.getTime() > now.getTime(),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return Promise.resolve(open[0] ? { ...open[0] } : null);
  }
  clearPendingToken(id: string): Promise<void> {
    const d = this.docs.get(id);
    if (d) d.pendingToken = null;
    return Promise.resolve();
  }
  eraseFor(memberId: string, email: string): Promise<string[]> {
    const ids = [...this.docs.values()]
      .filter((d) => d.memberId === memberId || d.to === email)
      .map((d) => d.id);
    for (const id of ids) this.docs.delete(id);
    return Promise.resolve(ids);
  }
  /** The mails of `kind` sent to `to`, oldest first (what the tests read the link tokens from). */
  to(to: string, kind?: AccountMailKind): AccountMailRecord[] {
    return [...this.docs.values()].filter((d) => d.to === to && (!kind || d.kind === kind));
  }
}

export class FakeVerifications implements Public<EmailVerificationRepository> {
  readonly docs = new Map<string, { email: string; verifiedAt: Date }>();
  isVerified(memberId: string, email: string): Promise<boolean> {
    return Promise.resolve(this.docs.get(memberId)?.email === email);
  }
  markVerified(memberId: string, email: string, at: Date): Promise<void> {
    this.docs.set(memberId, { email, verifiedAt: at });
    return Promise.resolve();
  }
  deleteFor(memberId: string): Promise<void> {
    this.docs.delete(memberId);
    return Promise.resolve();
  }
}

// In-memory stand-ins for identity's repositories, for service unit tests. They keep the same
// contracts the real ones have (unique emails, conditional updates, single-use rotation), so the
// services' logic is tested against the same guarantees; the integration tests use the real ones.
import { createHash, randomBytes } from 'node:crypto';
import { Clock, type PendingEvent } from '@agora/platform';
import type { AdminRosterLock } from '../admin/admin-roster-lock.repository.js';
import type { AdminClaimRepository } from '../auth/admin-claim.repository.js';
import type { CredentialsRepository } from '../auth/credentials.repository.js';
import type { DailyLoginRepository } from '../auth/daily-login.repository.js';
import type { NewSession, SessionRecord, SessionRepository } from '../auth/session.repository.js';
import type { ThrottleRepository, ThrottleState } from '../auth/throttle.repository.js';
import type {
  InvitationRecord,
  InvitationRepository,
} from '../invitations/invitation.repository.js';
import type { MemberChanges, MemberRepository } from '../members/member.repository.js';
import type { MemberRecord } from '../members/member.types.js';

type Public<T> = { [K in keyof T]: T[K] };

export class FakeClock extends Clock {
  constructor(private current = new Date('2026-06-01T10:00:00Z')) {
    super();
  }
  override now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

let counter = 0;
function objectIdHex(): string {
  counter += 1;
  return (Date.now().toString(16).slice(-8) + counter.toString(16).padStart(16, '0')).slice(0, 24);
}

/** Every event a fake wrote, in order, with the id of the document that carried it. */
export class EventLog {
  readonly entries: { doc: string; event: PendingEvent }[] = [];
  add(doc: string, events: readonly PendingEvent[]): void {
    for (const event of events) this.entries.push({ doc, event });
  }
  types(): string[] {
    return this.entries.map((e) => e.event.def.type);
  }
  ofType(type: string): PendingEvent[] {
    return this.entries.filter((e) => e.event.def.type === type).map((e) => e.event);
  }
}

export class FakeMembers implements Public<MemberRepository> {
  readonly docs = new Map<string, MemberRecord>();
  constructor(readonly log = new EventLog()) {}

  newId(): string {
    return objectIdHex();
  }
  insert(
    member: Omit<MemberRecord, 'rev'>,
    events: readonly PendingEvent[],
  ): Promise<'ok' | 'duplicate-email'> {
    if ([...this.docs.values()].some((m) => m.email === member.email))
      return Promise.resolve('duplicate-email');
    this.docs.set(member.id, structuredClone({ ...member, rev: 0 }));
    this.log.add(member.id, events);
    return Promise.resolve('ok');
  }
  findById(id: string): Promise<MemberRecord | null> {
    const m = this.docs.get(id);
    return Promise.resolve(m ? structuredClone(m) : null);
  }
  findActiveByEmail(email: string): Promise<MemberRecord | null> {
    const m = [...this.docs.values()].find((d) => d.email === email && d.status === 'active');
    return Promise.resolve(m ? structuredClone(m) : null);
  }
  update(
    id: string,
    rev: number,
    changes: MemberChanges,
    events: readonly PendingEvent[],
    _at: Date,
  ): Promise<MemberRecord | null> {
    const m = this.docs.get(id);
    if (!m || m.rev !== rev) return Promise.resolve(null);
    const next = { ...m, ...structuredClone(changes), rev: rev + 1 };
    this.docs.set(id, next);
    this.log.add(id, events);
    return Promise.resolve(structuredClone(next));
  }
  listActive(offset: number, limit: number): Promise<{ total: number; items: MemberRecord[] }> {
    const active = [...this.docs.values()].filter((m) => m.status === 'active');
    return Promise.resolve({ total: active.length, items: active.slice(offset, offset + limit) });
  }
  countActiveAdmins(): Promise<number> {
    return Promise.resolve(
      [...this.docs.values()].filter((m) => m.status === 'active' && m.role === 'admin').length,
    );
  }
  isImageReferenced(url: string): Promise<boolean> {
    return Promise.resolve(
      [...this.docs.values()].some((m) => m.avatarUrl === url || m.coverUrl === url),
    );
  }
}

export class FakeSessions implements Public<SessionRepository> {
  readonly docs: SessionRecord[] = [];
  insert(session: NewSession): Promise<void> {
    if (this.docs.some((d) => d.tokenHash === session.tokenHash))
      throw new Error('E11000 duplicate tokenHash');
    this.docs.push({
      ...session,
      id: objectIdHex(),
      rotatedAt: null,
      revokedAt: null,
      revokedCause: null,
    });
    return Promise.resolve();
  }
  findByHash(tokenHash: string): Promise<SessionRecord | null> {
    const d = this.docs.find((s) => s.tokenHash === tokenHash);
    return Promise.resolve(d ? { ...d } : null);
  }
  markRotated(id: string, at: Date): Promise<boolean> {
    const d = this.docs.find((s) => s.id === id);
    if (!d || d.rotatedAt || d.revokedAt) return Promise.resolve(false);
    d.rotatedAt = at;
    return Promise.resolve(true);
  }
  revokeFamily(familyId: string, at: Date, cause: string | null = null): Promise<number> {
    return this.revokeFamilies([familyId], at, cause);
  }
  revokeFamilies(
    familyIds: readonly string[],
    at: Date,
    cause: string | null = null,
  ): Promise<number> {
    let n = 0;
    for (const d of this.docs) {
      if (familyIds.includes(d.familyId) && !d.revokedAt) {
        d.revokedAt = at;
        d.revokedCause = cause;
        n += 1;
      }
    }
    return Promise.resolve(n);
  }
  isFamilyRevoked(familyId: string): Promise<boolean> {
    return Promise.resolve(
      this.docs.some((d) => d.familyId === familyId && d.revokedAt && d.revokedCause !== 'reused'),
    );
  }
  liveForMember(memberId: string, now: Date): Promise<SessionRecord[]> {
    return Promise.resolve(
      this.docs
        .filter((d) => d.memberId === memberId && !d.revokedAt && d.expiresAt > now)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map((d) => ({ ...d })),
    );
  }
  listForMember(memberId: string): Promise<SessionRecord[]> {
    return Promise.resolve(this.docs.filter((d) => d.memberId === memberId).map((d) => ({ ...d })));
  }
  deleteForMember(memberId: string): Promise<void> {
    for (let i = this.docs.length - 1; i >= 0; i -= 1)
      if (this.docs[i]?.memberId === memberId) this.docs.splice(i, 1);
    return Promise.resolve();
  }
}

export class FakeThrottles implements Public<ThrottleRepository> {
  readonly docs = new Map<
    string,
    { failures: number; lockedUntil: Date | null; expiresAt: Date }
  >();
  states(keys: readonly string[], now: Date): Promise<ThrottleState[]> {
    return Promise.resolve(
      keys.flatMap((key) => {
        const d = this.docs.get(key);
        return d && d.expiresAt > now
          ? [{ key, failures: d.failures, lockedUntil: d.lockedUntil }]
          : [];
      }),
    );
  }
  addFailure(key: string, now: Date, expiresAt: Date): Promise<number> {
    const d = this.docs.get(key);
    const live = d && d.expiresAt > now ? d : { failures: 0, lockedUntil: null, expiresAt };
    live.failures += 1;
    live.expiresAt = expiresAt;
    this.docs.set(key, live);
    return Promise.resolve(live.failures);
  }
  lock(key: string, until: Date, expiresAt: Date): Promise<void> {
    const d = this.docs.get(key);
    if (d) Object.assign(d, { lockedUntil: until, expiresAt });
    return Promise.resolve();
  }
  clear(key: string): Promise<void> {
    this.docs.delete(key);
    return Promise.resolve();
  }
}

export class FakeAdminClaims implements Public<AdminClaimRepository> {
  holder: { memberId: string; claimedAt: Date } | null = null;
  async claim(memberId: string, at: Date): Promise<boolean> {
    // yield first, so concurrent callers really interleave
    await Promise.resolve();
    if (this.holder) return false;
    this.holder = { memberId, claimedAt: at };
    return true;
  }
  current(): Promise<{ memberId: string; claimedAt: Date } | null> {
    return Promise.resolve(this.holder ? { ...this.holder } : null);
  }
  takeOver(fromMemberId: string, memberId: string, at: Date): Promise<boolean> {
    if (this.holder?.memberId !== fromMemberId) return Promise.resolve(false);
    this.holder = { memberId, claimedAt: at };
    return Promise.resolve(true);
  }
  release(memberId: string): Promise<void> {
    if (this.holder?.memberId === memberId) this.holder = null;
    return Promise.resolve();
  }
}

export class FakeDailyLogins implements Public<DailyLoginRepository> {
  readonly docs: { memberId: string; day: string; timeZone: string }[] = [];
  constructor(readonly log = new EventLog()) {}
  record(
    memberId: string,
    day: string,
    timeZone: string,
    _at: Date,
    event: PendingEvent,
  ): Promise<boolean> {
    if (this.docs.some((d) => d.memberId === memberId && d.day === day))
      return Promise.resolve(false);
    this.docs.push({ memberId, day, timeZone });
    this.log.add(`${memberId}:${day}`, [event]);
    return Promise.resolve(true);
  }
  days(memberId: string): Promise<string[]> {
    return Promise.resolve(
      this.docs
        .filter((d) => d.memberId === memberId)
        .map((d) => d.day)
        .sort(),
    );
  }
  deleteForMember(memberId: string): Promise<void> {
    for (let i = this.docs.length - 1; i >= 0; i -= 1)
      if (this.docs[i]?.memberId === memberId) this.docs.splice(i, 1);
    return Promise.resolve();
  }
}

/** Real digests and randomness; cheap reversible "hashes" so tests run fast; counts dummy verifications. */
export class FakeCredentials implements Public<CredentialsRepository> {
  dummyVerifications = 0;
  realVerifications = 0;
  onModuleInit(): void {}
  hashPassword(password: string): Promise<string> {
    return Promise.resolve(`fake-argon2:${password}`);
  }
  verifyPassword(hash: string, password: string): Promise<boolean> {
    this.realVerifications += 1;
    return Promise.resolve(hash === `fake-argon2:${password}` || hash === `old-scheme:${password}`);
  }
  /** Hashes from an "older" scheme need upgrading. */
  needsRehash(hash: string): boolean {
    return hash.startsWith('old-scheme:');
  }
  verifyDummy(): Promise<false> {
    this.dummyVerifications += 1;
    return Promise.resolve(false);
  }
  randomToken(): string {
    return randomBytes(32).toString('base64url');
  }
  sha256(value: string): string {
    return createHash('sha256').update(value).digest('hex');
  }
  signAccess(
    memberId: string,
    role: string,
    now: Date,
  ): Promise<{ token: string; expiresAt: Date }> {
    return Promise.resolve({
      token: `access:${memberId}:${role}`,
      expiresAt: new Date(now.getTime() + 15 * 60_000),
    });
  }
}

export class FakeInvitations implements Public<InvitationRepository> {
  readonly docs = new Map<string, InvitationRecord>();
  readonly quotas = new Map<string, number>();
  constructor(readonly log = new EventLog()) {}
  newId(): string {
    return objectIdHex();
  }
  takeQuota(inviterId: string, day: string, cap: number): Promise<boolean> {
    const key = `${inviterId}:${day}`;
    const n = this.quotas.get(key) ?? 0;
    if (n >= cap) return Promise.resolve(false);
    this.quotas.set(key, n + 1);
    return Promise.resolve(true);
  }
  insert(invitation: InvitationRecord, events: readonly PendingEvent[]): Promise<void> {
    this.docs.set(invitation.id, { ...invitation });
    this.log.add(invitation.id, events);
    return Promise.resolve();
  }
  findById(id: string): Promise<InvitationRecord | null> {
    const d = this.docs.get(id);
    return Promise.resolve(d ? { ...d } : null);
  }
  findByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    const d = [...this.docs.values()].find((i) => i.tokenHash === tokenHash);
    return Promise.resolve(d ? { ...d } : null);
  }
  findOpen(inviterId: string, email: string, now: Date): Promise<InvitationRecord | null> {
    const d = [...this.docs.values()].find(
      (i) =>
        i.inviterId === inviterId && i.email === email && i.status === 'sent' && i.expiresAt > now,
    );
    return Promise.resolve(d ? { ...d } : null);
  }
  listByInviter(inviterId: string): Promise<InvitationRecord[]> {
    return Promise.resolve(
      [...this.docs.values()].filter((i) => i.inviterId === inviterId).reverse(),
    );
  }
  accept(id: string, memberId: string, at: Date): Promise<boolean> {
    const d = this.docs.get(id);
    if (!d || d.status !== 'sent' || d.expiresAt <= at) return Promise.resolve(false);
    Object.assign(d, { status: 'accepted', acceptedAt: at, acceptedMemberId: memberId });
    return Promise.resolve(true);
  }
  takeOver(id: string, fromMemberId: string, memberId: string, at: Date): Promise<boolean> {
    const d = this.docs.get(id);
    if (d?.status !== 'accepted' || d.acceptedMemberId !== fromMemberId)
      return Promise.resolve(false);
    Object.assign(d, { acceptedAt: at, acceptedMemberId: memberId });
    return Promise.resolve(true);
  }
  undoAccept(id: string, memberId: string): Promise<void> {
    const d = this.docs.get(id);
    if (d?.acceptedMemberId === memberId)
      Object.assign(d, { status: 'sent', acceptedAt: null, acceptedMemberId: null });
    return Promise.resolve();
  }
  clearPendingToken(id: string): Promise<void> {
    const d = this.docs.get(id);
    if (d) d.pendingToken = null;
    return Promise.resolve();
  }
  deleteByInviter(inviterId: string): Promise<string[]> {
    const ids = [...this.docs.values()].filter((i) => i.inviterId === inviterId).map((i) => i.id);
    for (const id of ids) this.docs.delete(id);
    return Promise.resolve(ids);
  }
  eraseInvitee(memberId: string, email: string, erasedAddress: string): Promise<string[]> {
    const hit = [...this.docs.values()].filter(
      (i) => i.email === email || i.acceptedMemberId === memberId,
    );
    for (const i of hit) Object.assign(i, { email: erasedAddress, pendingToken: null });
    return Promise.resolve(hit.map((i) => i.id));
  }
}

/** One holder at a time, in call order, like the lease in the store. */
export class FakeAdminRosterLock implements Public<AdminRosterLock> {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(fn, fn);
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}

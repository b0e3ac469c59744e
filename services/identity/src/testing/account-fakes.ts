// In-memory stand-ins for the sessions and suspension repositories (see fakes.ts for the idea).
import { pendingEvent, type PendingEvent } from '@agora/platform';
import { accountEvents, type Role, type SessionEndCause } from '@agora/proto';
import type {
  AdminMemberQuery,
  AdminMemberRow,
  AdminMembersRepository,
} from '../admin/admin-members.repository.js';
import type { SuspensionRecord, SuspensionRepository } from '../admin/suspension.repository.js';
import type { SessionEventsRepository } from '../auth/session-events.repository.js';
import type { MemberRecord } from '../members/member.types.js';
import type { EventLog, FakeMembers } from './fakes.js';

type Public<T> = { [K in keyof T]: T[K] };

/** Signs `access:<memberId>:<role>` and remembers each token's session id. */
export class FakeSigner {
  readonly sids = new Map<string, string | undefined>();
  sign(
    claims: { sub: string; role: Role; sid?: string },
    now = new Date(),
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = `access:${claims.sub}:${claims.role}`;
    this.sids.set(token, claims.sid);
    return Promise.resolve({ token, expiresAt: new Date(now.getTime() + 15 * 60_000) });
  }
}

/** Logs `identity.sessions.revoked` in the event log; `failNext` makes the next publish fail. */
export class FakeSessionEvents implements Public<SessionEventsRepository> {
  failNext = false;
  constructor(readonly log: EventLog) {}
  revoked(
    actor: string | null,
    memberId: string,
    sessionIds: readonly string[],
    cause: SessionEndCause,
  ): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('NATS unavailable'));
    }
    const event: PendingEvent = pendingEvent(accountEvents.sessionsRevoked, actor, memberId, {
      memberId,
      sessionIds: [...sessionIds],
      cause,
    });
    this.log.add(memberId, [event]);
    return Promise.resolve();
  }
}

export class FakeSuspensions implements Public<SuspensionRepository> {
  readonly docs = new Map<string, SuspensionRecord>();
  constructor(readonly log: EventLog) {}
  find(memberId: string): Promise<SuspensionRecord | null> {
    const d = this.docs.get(memberId);
    return Promise.resolve(d ? { ...d } : null);
  }
  suspendedAmong(memberIds: readonly string[]): Promise<SuspensionRecord[]> {
    return Promise.resolve(
      memberIds.flatMap((id) => {
        const d = this.docs.get(id);
        return d?.suspended ? [{ ...d }] : [];
      }),
    );
  }
  suspendedIds(): Promise<string[]> {
    return Promise.resolve(
      [...this.docs.values()].filter((d) => d.suspended).map((d) => d.memberId),
    );
  }
  set(
    memberId: string,
    suspended: boolean,
    reason: string,
    byId: string,
    at: Date,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const d = this.docs.get(memberId);
    if ((d?.suspended ?? false) === suspended) return Promise.resolve(false);
    this.docs.set(memberId, { memberId, suspended, reason, byId, at });
    this.log.add(memberId, events);
    return Promise.resolve(true);
  }
  deleteFor(memberId: string): Promise<void> {
    this.docs.delete(memberId);
    return Promise.resolve();
  }
}

function toRow(m: MemberRecord): AdminMemberRow {
  return {
    id: m.id,
    displayName: m.displayName,
    bio: m.bio,
    organisation: m.organisation,
    sector: m.sector,
    country: m.country,
    languages: [...m.languages],
    expertise: [...m.expertise],
    avatarUrl: m.avatarUrl,
    coverUrl: m.coverUrl,
    role: m.role,
    email: m.email,
    createdAt: m.createdAt,
    invitedBy: m.invitedBy,
  };
}

/** The admin list's reads over FakeMembers' documents. */
export class FakeAdminMembers implements Public<AdminMembersRepository> {
  constructor(private readonly members: FakeMembers) {}
  private active(): MemberRecord[] {
    return [...this.members.docs.values()]
      .filter((m) => m.status === 'active')
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  }
  search(
    query: AdminMemberQuery,
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: AdminMemberRow[] }> {
    const q = query.q?.toLowerCase();
    const found = this.active().filter(
      (m) =>
        (!q || m.displayName.toLowerCase().includes(q) || m.email.includes(q)) &&
        (!query.ids || query.ids.includes(m.id)) &&
        (!query.notIds || !query.notIds.includes(m.id)) &&
        (!query.invitedBy || m.invitedBy === query.invitedBy),
    );
    return Promise.resolve({
      total: found.length,
      items: found.slice(offset, offset + limit).map(toRow),
    });
  }
  findRow(id: string): Promise<AdminMemberRow | null> {
    const m = this.active().find((x) => x.id === id);
    return Promise.resolve(m ? toRow(m) : null);
  }
  names(ids: readonly string[]): Promise<Map<string, string>> {
    return Promise.resolve(
      new Map(
        this.active()
          .filter((m) => ids.includes(m.id))
          .map((m) => [m.id, m.displayName]),
      ),
    );
  }
}

import { accountEvents, identityEvents, type EventDef, type Role } from '@agora/proto';

/** What a follower of identity's recent events knows of an account. */
export interface AccountState {
  status: 'active' | 'suspended' | 'deleted';
  /** The role of the latest role change, when one happened in the window. */
  role: Role | undefined;
  at: number;
}

/** A change some open sockets must hear about. */
export type AccessChange =
  | { kind: 'account'; memberId: string; state: AccountState }
  | { kind: 'sessions'; memberId: string; sessionIds: readonly string[] };

/**
 * What a check looks at of a token. `role` is compared only when given: the gateway refuses a token
 * whose role changed (its REST guards read the claim); collab, whose rights come from spaces,
 * passes none.
 */
export interface TokenClaims {
  sub: string;
  role?: Role | undefined;
  sid?: string | undefined;
}

/** Why a token signed earlier is no longer accepted. */
export type AccessRefusal =
  'account suspended' | 'account deleted' | 'session ended' | 'role changed';

const followed: readonly EventDef[] = [
  identityEvents.roleChanged,
  identityEvents.memberDeleted,
  accountEvents.memberSuspended,
  accountEvents.memberReinstated,
  accountEvents.sessionsRevoked,
];
const byType = new Map(followed.map((d) => [d.type, d]));

/**
 * The revocation and role view of the access tokens still alive: built from identity's events of
 * the last `windowMs` (at least an access token's lifetime), since a token signed before an event
 * has expired once the event is older than that — so nothing older needs keeping, and a view
 * rebuilt from the window alone is complete. Pure: the caller feeds it events and the clock.
 */
export class AccessState {
  private readonly accounts = new Map<string, AccountState>();
  /** Ended sessions (token `sid`) → when. */
  private readonly ended = new Map<string, number>();

  constructor(readonly windowMs: number) {}

  /**
   * Applies one event (type, data as published, when it was stored); answers what changed, or
   * undefined for events the view does not follow or whose data breaks the contract.
   */
  apply(type: string, data: unknown, at: number): AccessChange | undefined {
    const def = byType.get(type);
    if (!def) return undefined;
    const parsed = def.data.safeParse(data);
    if (!parsed.success) return undefined;
    const d = parsed.data as { memberId: string; role?: Role; sessionIds?: string[] };
    if (def === accountEvents.sessionsRevoked) {
      for (const sid of d.sessionIds ?? []) this.ended.set(sid, at);
      return { kind: 'sessions', memberId: d.memberId, sessionIds: d.sessionIds ?? [] };
    }
    const previous = this.accounts.get(d.memberId);
    const state: AccountState = {
      status: previous?.status ?? 'active',
      role: previous?.role,
      at,
    };
    if (def === identityEvents.roleChanged) state.role = d.role;
    // Deletion is for good; suspension and reinstatement move a living account only.
    if (def === identityEvents.memberDeleted) state.status = 'deleted';
    if (def === accountEvents.memberSuspended && state.status !== 'deleted')
      state.status = 'suspended';
    if (def === accountEvents.memberReinstated && state.status !== 'deleted')
      state.status = 'active';
    this.accounts.set(d.memberId, state);
    return { kind: 'account', memberId: d.memberId, state };
  }

  /** Null when a token with these claims is still good; otherwise why not. */
  check(claims: TokenClaims): AccessRefusal | null {
    const account = this.accounts.get(claims.sub);
    if (account?.status === 'deleted') return 'account deleted';
    if (account?.status === 'suspended') return 'account suspended';
    if (claims.sid !== undefined && this.ended.has(claims.sid)) return 'session ended';
    if (claims.role !== undefined && account?.role !== undefined && account.role !== claims.role)
      return 'role changed';
    return null;
  }

  /** Forgets what is older than the window (every token it could concern has expired). */
  prune(now: number): void {
    const before = now - this.windowMs;
    for (const [id, s] of this.accounts) if (s.at < before) this.accounts.delete(id);
    for (const [sid, at] of this.ended) if (at < before) this.ended.delete(sid);
  }

  get size(): number {
    return this.accounts.size + this.ended.size;
  }
}

import { accountEvents, identityEvents, type EventDef } from '@agora/proto';

/** Why a member's valid access token no longer opens docs. */
export type AccountRefusal = 'account suspended' | 'account deleted';

/** A member whose account just became suspended or deleted (their connections must close). */
export interface AccountClosed {
  memberId: string;
  reason: AccountRefusal;
}

const followed: readonly EventDef[] = [
  identityEvents.memberDeleted,
  accountEvents.memberSuspended,
  accountEvents.memberReinstated,
];
const byType = new Map(followed.map((d) => [d.type, d]));

/**
 * Suspended and deleted accounts among those whose access tokens may still be alive: built from
 * identity's events of the last `windowMs` (at least a token's lifetime), since a token signed
 * before an older event has expired — so nothing older needs keeping, and a view rebuilt from the
 * window alone is complete. Pure: the caller feeds it events and the clock.
 */
export class AccountStatus {
  private readonly refused = new Map<string, { reason: AccountRefusal; at: number }>();
  private readonly deleted = new Set<string>();

  constructor(readonly windowMs: number) {}

  /**
   * Applies one event (type, data as published, when it was stored); answers the member to close
   * when it suspended or deleted an account, else undefined (other types, data breaking the
   * contract, a reinstatement).
   */
  apply(type: string, data: unknown, at: number): AccountClosed | undefined {
    const def = byType.get(type);
    if (!def) return undefined;
    const parsed = def.data.safeParse(data);
    if (!parsed.success) return undefined;
    const { memberId } = parsed.data as { memberId: string };
    // Deletion is for good; suspension and reinstatement move a living account only.
    if (def === identityEvents.memberDeleted) {
      this.deleted.add(memberId);
      this.refused.set(memberId, { reason: 'account deleted', at });
      return { memberId, reason: 'account deleted' };
    }
    if (this.deleted.has(memberId)) return undefined;
    if (def === accountEvents.memberReinstated) {
      this.refused.delete(memberId);
      return undefined;
    }
    this.refused.set(memberId, { reason: 'account suspended', at });
    return { memberId, reason: 'account suspended' };
  }

  /** Null when the member's tokens still open docs; otherwise why not. */
  check(memberId: string): AccountRefusal | null {
    return this.refused.get(memberId)?.reason ?? null;
  }

  /** Forgets what is older than the window (every token it could concern has expired). */
  prune(now: number): void {
    const before = now - this.windowMs;
    for (const [id, s] of this.refused) {
      if (s.at >= before) continue;
      this.refused.delete(id);
      this.deleted.delete(id);
    }
  }

  get size(): number {
    return this.refused.size;
  }
}

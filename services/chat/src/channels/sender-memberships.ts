import type { MembershipRecord } from './channel.repository.js';

/** An active membership as read, with the channel's `membersRev` read just before it. */
export interface SenderMembership {
  membership: MembershipRecord;
  membersRev: number;
}

export interface SenderMembershipsOptions {
  /** Memberships remembered at once; the least recently used is forgotten first. */
  maxEntries?: number;
  /** How long one is remembered, ms (bounds what a crash between two writes could leave stale). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Senders' active memberships, so a send need not read its membership: each is used only with a
 * seq reservation conditioned on the `membersRev` it was read under, which every removal or mute in
 * the channel moves (ChannelRepository), so a stale one never lets a message in — any replica's
 * change makes the reservation miss and the sender is read again. Only active memberships are kept.
 */
export class SenderMemberships {
  private readonly entries = new Map<string, { value: SenderMembership; until: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: SenderMembershipsOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  get(channelId: string, memberId: string): SenderMembership | undefined {
    const key = `${channelId}:${memberId}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.until <= this.now()) return undefined;
    // Re-inserted: the Map's order is the order of use.
    this.entries.set(key, entry);
    return entry.value;
  }

  set(value: SenderMembership): void {
    const key = `${value.membership.channelId}:${value.membership.memberId}`;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
  }

  forget(channelId: string, memberId: string): void {
    this.entries.delete(`${channelId}:${memberId}`);
  }

  get size(): number {
    return this.entries.size;
  }
}

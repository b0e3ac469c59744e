import { describe, expect, it } from 'vitest';
import type { MembershipRecord } from './channel.repository.js';
import { SenderMemberships } from './sender-memberships.js';

const membership = (channelId: string, memberId: string): MembershipRecord => ({
  channelId,
  memberId,
  moderator: false,
  active: true,
  readSeq: 0,
  mutedUntil: null,
});

describe('SenderMemberships', () => {
  it('answers what was remembered for that channel and member only, until forgotten', () => {
    const senders = new SenderMemberships();
    senders.set({ membership: membership('c1', 'm1'), membersRev: 3 });
    expect(senders.get('c1', 'm1')).toEqual({ membership: membership('c1', 'm1'), membersRev: 3 });
    expect(senders.get('c1', 'm2')).toBeUndefined();
    expect(senders.get('c2', 'm1')).toBeUndefined();
    senders.forget('c1', 'm1');
    expect(senders.get('c1', 'm1')).toBeUndefined();
  });

  it('forgets one once its time is up', () => {
    let now = 1_000;
    const senders = new SenderMemberships({ ttlMs: 500, now: () => now });
    senders.set({ membership: membership('c', 'm'), membersRev: 0 });
    now += 499;
    expect(senders.get('c', 'm')).toBeDefined();
    now += 1;
    expect(senders.get('c', 'm')).toBeUndefined();
    expect(senders.size).toBe(0);
  });

  it('keeps at most maxEntries, forgetting the least recently used', () => {
    const senders = new SenderMemberships({ maxEntries: 2 });
    senders.set({ membership: membership('c', 'a'), membersRev: 0 });
    senders.set({ membership: membership('c', 'b'), membersRev: 0 });
    senders.get('c', 'a');
    senders.set({ membership: membership('c', 'c'), membersRev: 0 });
    expect(senders.size).toBe(2);
    expect(senders.get('c', 'b')).toBeUndefined();
    expect(senders.get('c', 'a')).toBeDefined();
    expect(senders.get('c', 'c')).toBeDefined();
  });
});

import { accountEvents, identityEvents } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { AccountStatus } from './account-status.js';

const alice = 'a'.repeat(24);
const bob = 'b'.repeat(24);
const window = 60_000;

describe('AccountStatus', () => {
  it('refuses a suspended member until reinstated, and says which member to close', () => {
    const s = new AccountStatus(window);
    expect(s.check(alice)).toBeNull();
    expect(s.apply(accountEvents.memberSuspended.type, { memberId: alice }, 1)).toEqual({
      memberId: alice,
      reason: 'account suspended',
    });
    expect(s.check(alice)).toBe('account suspended');
    expect(s.check(bob)).toBeNull();
    expect(s.apply(accountEvents.memberReinstated.type, { memberId: alice }, 2)).toBeUndefined();
    expect(s.check(alice)).toBeNull();
  });

  it('keeps a deletion for good: a later reinstatement or suspension does not change it', () => {
    const s = new AccountStatus(window);
    expect(s.apply(identityEvents.memberDeleted.type, { memberId: bob }, 1)).toEqual({
      memberId: bob,
      reason: 'account deleted',
    });
    expect(s.apply(accountEvents.memberReinstated.type, { memberId: bob }, 2)).toBeUndefined();
    expect(s.apply(accountEvents.memberSuspended.type, { memberId: bob }, 3)).toBeUndefined();
    expect(s.check(bob)).toBe('account deleted');
  });

  it('ignores events it does not follow and data that breaks the contract', () => {
    const s = new AccountStatus(window);
    expect(s.apply(identityEvents.roleChanged.type, { memberId: alice }, 1)).toBeUndefined();
    expect(
      s.apply(accountEvents.memberSuspended.type, { memberId: 'not-an-id' }, 1),
    ).toBeUndefined();
    expect(s.apply(accountEvents.memberSuspended.type, {}, 1)).toBeUndefined();
    expect(s.size).toBe(0);
  });

  it('forgets what is older than the window: every token it concerned has expired', () => {
    const s = new AccountStatus(window);
    s.apply(identityEvents.memberDeleted.type, { memberId: alice }, 1_000);
    s.apply(accountEvents.memberSuspended.type, { memberId: bob }, 30_000);
    s.prune(1_000 + window + 1);
    expect(s.check(alice)).toBeNull();
    expect(s.check(bob)).toBe('account suspended');
    expect(s.size).toBe(1);
  });
});

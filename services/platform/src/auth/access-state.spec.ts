import { accountEvents, identityEvents } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { AccessState } from './access-state.js';

const alice = 'a'.repeat(24);
const bob = 'b'.repeat(24);
const sid = '0b9e4a56-7f3c-4a1e-9d2b-3c4d5e6f7a8b';
const otherSid = '1c0f5b67-8a4d-4b2f-8e3c-4d5e6f7a8b9c';
const WINDOW = 20 * 60_000;

describe('AccessState', () => {
  it('accepts tokens of accounts it heard nothing about', () => {
    const state = new AccessState(WINDOW);
    expect(state.check({ sub: alice, role: 'admin', sid })).toBeNull();
    expect(state.check({ sub: alice, role: 'member' })).toBeNull();
  });

  it('refuses a suspended account until reinstated, a deleted one for good', () => {
    const state = new AccessState(WINDOW);
    state.apply(accountEvents.memberSuspended.type, { memberId: alice }, 1);
    expect(state.check({ sub: alice, role: 'member', sid })).toBe('account suspended');
    expect(state.check({ sub: bob, role: 'member' })).toBeNull();
    state.apply(accountEvents.memberReinstated.type, { memberId: alice }, 2);
    expect(state.check({ sub: alice, role: 'member', sid })).toBeNull();
    state.apply(identityEvents.memberDeleted.type, { memberId: alice }, 3);
    state.apply(accountEvents.memberReinstated.type, { memberId: alice }, 4);
    expect(state.check({ sub: alice, role: 'member' })).toBe('account deleted');
  });

  it('refuses the tokens of ended sessions only', () => {
    const state = new AccessState(WINDOW);
    const change = state.apply(
      accountEvents.sessionsRevoked.type,
      { memberId: alice, sessionIds: [sid], cause: 'revoked' },
      1,
    );
    expect(change).toEqual({ kind: 'sessions', memberId: alice, sessionIds: [sid] });
    expect(state.check({ sub: alice, role: 'member', sid })).toBe('session ended');
    expect(state.check({ sub: alice, role: 'member', sid: otherSid })).toBeNull();
  });

  it('refuses a token whose role is no longer the member’s (a demoted admin’s)', () => {
    const state = new AccessState(WINDOW);
    state.apply(
      identityEvents.roleChanged.type,
      { memberId: alice, role: 'member', previous: 'admin' },
      1,
    );
    expect(state.check({ sub: alice, role: 'admin' })).toBe('role changed');
    expect(state.check({ sub: alice, role: 'member' })).toBeNull();
    // promoted back: the latest change decides
    state.apply(
      identityEvents.roleChanged.type,
      { memberId: alice, role: 'admin', previous: 'member' },
      2,
    );
    expect(state.check({ sub: alice, role: 'admin' })).toBeNull();
    expect(state.check({ sub: alice, role: 'member' })).toBe('role changed');
  });

  it('compares no role for a check that gives none (collab: rights come from spaces)', () => {
    const state = new AccessState(WINDOW);
    state.apply(
      identityEvents.roleChanged.type,
      { memberId: alice, role: 'member', previous: 'admin' },
      1,
    );
    expect(state.check({ sub: alice, sid })).toBeNull();
    state.apply(
      accountEvents.sessionsRevoked.type,
      { memberId: alice, sessionIds: [sid], cause: 'signed-out' },
      2,
    );
    expect(state.check({ sub: alice, sid })).toBe('session ended');
    expect(state.check({ sub: alice, sid: otherSid })).toBeNull();
    state.apply(accountEvents.memberSuspended.type, { memberId: alice }, 3);
    expect(state.check({ sub: alice })).toBe('account suspended');
  });

  it('ignores events it does not follow and data that breaks the contract', () => {
    const state = new AccessState(WINDOW);
    expect(
      state.apply(identityEvents.profileUpdated.type, { memberId: alice, fields: ['bio'] }, 1),
    ).toBeUndefined();
    expect(
      state.apply(accountEvents.memberSuspended.type, { memberId: 'nope' }, 1),
    ).toBeUndefined();
    expect(
      state.apply(accountEvents.sessionsRevoked.type, { memberId: alice, sessionIds: [] }, 1),
    ).toBeUndefined();
    expect(state.size).toBe(0);
  });

  it('forgets what is older than the window (every token it concerned has expired)', () => {
    const state = new AccessState(WINDOW);
    state.apply(accountEvents.memberSuspended.type, { memberId: alice }, 1_000);
    state.apply(
      accountEvents.sessionsRevoked.type,
      { memberId: bob, sessionIds: [sid], cause: 'signed-out' },
      5_000,
    );
    state.prune(1_000 + WINDOW);
    expect(state.size).toBe(2);
    state.prune(1_001 + WINDOW);
    expect(state.check({ sub: alice, role: 'member' })).toBeNull();
    expect(state.check({ sub: bob, role: 'member', sid })).toBe('session ended');
    state.prune(5_001 + WINDOW);
    expect(state.size).toBe(0);
  });
});

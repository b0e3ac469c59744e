import { describe, expect, it } from 'vitest';
import { deriveSyncState, PendingChanges } from './pending-changes.js';

describe('deriveSyncState', () => {
  it('is offline without a socket, whatever is pending', () => {
    expect(deriveSyncState({ connected: false, synced: true, pending: 0 })).toBe('offline');
    expect(deriveSyncState({ connected: false, synced: false, pending: 4 })).toBe('offline');
  });
  it('is syncing until the server state is in and every change acknowledged', () => {
    expect(deriveSyncState({ connected: true, synced: false, pending: 0 })).toBe('syncing');
    expect(deriveSyncState({ connected: true, synced: true, pending: 1 })).toBe('syncing');
    expect(deriveSyncState({ connected: true, synced: true, pending: 0 })).toBe('saved');
  });
});

describe('PendingChanges', () => {
  it('drops messages as collab acknowledges them, in order', () => {
    const p = new PendingChanges();
    p.localChange(true);
    p.localChange(true);
    p.localChange(true);
    expect(p.pending).toBe(3);
    p.acknowledged(2);
    expect(p.pending).toBe(1);
    p.acknowledged(2);
    expect(p.pending).toBe(1);
    p.acknowledged(3);
    expect(p.pending).toBe(0);
  });

  it('keeps unacknowledged changes across a reconnect and sends them in the catch-up', () => {
    const p = new PendingChanges();
    p.localChange(true);
    p.localChange(true);
    p.acknowledged(1);
    p.connectionClosed();
    p.localChange(false);
    p.localChange(false);
    expect(p.pending).toBe(3);
    // The new connection counts from 1 again: its first update message is the catch-up.
    p.catchUpSent();
    p.localChange(true);
    expect(p.pending).toBe(4);
    p.acknowledged(1);
    expect(p.pending).toBe(1);
    p.acknowledged(2);
    expect(p.pending).toBe(0);
  });

  it('forgets waiting changes the server turns out to hold already', () => {
    const p = new PendingChanges();
    p.localChange(true);
    p.connectionClosed();
    expect(p.pending).toBe(1);
    p.catchUpNotNeeded();
    expect(p.pending).toBe(0);
  });

  it('counts a catch-up with nothing typed as one change (edits kept from an earlier visit)', () => {
    const p = new PendingChanges();
    p.catchUpSent();
    expect(p.pending).toBe(1);
    p.acknowledged(1);
    expect(p.pending).toBe(0);
  });

  it('a stale acknowledgement from before a reconnect does not clear the new connection', () => {
    const p = new PendingChanges();
    p.localChange(true);
    p.connectionClosed();
    p.catchUpSent();
    p.acknowledged(0);
    expect(p.pending).toBe(1);
  });
});

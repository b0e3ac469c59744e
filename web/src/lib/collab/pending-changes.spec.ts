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

describe('PendingChanges probes', () => {
  it('a probe answer confirms everything sent before it, even what 101 never counted', () => {
    const p = new PendingChanges();
    p.probeSent(); // the opening sync step 1
    p.probeAnswered();
    p.localChange(true);
    p.localChange(true);
    p.acknowledged(1); // the second was a no-op for collab: never counted
    expect(p.pending).toBe(1);
    expect(p.unprobed).toBe(true);
    p.probeSent();
    expect(p.unprobed).toBe(false);
    p.localChange(true);
    expect(p.unprobed).toBe(true);
    p.probeAnswered();
    // The change sent after the probe is not covered by its answer.
    expect(p.pending).toBe(1);
  });

  it('answers match probes in order, and a closed connection forgets them', () => {
    const p = new PendingChanges();
    p.probeSent();
    p.localChange(true);
    p.probeSent();
    p.probeAnswered(); // the opening one: covers nothing
    expect(p.pending).toBe(1);
    p.connectionClosed();
    p.probeAnswered(); // a stray answer after reconnecting confirms nothing
    expect(p.pending).toBe(1);
  });
});

/** What the sync status says: every edit durable, some on their way, or no connection. */
export type SyncState = 'saved' | 'syncing' | 'offline';

export interface SyncFacts {
  /** The socket is open. */
  connected: boolean;
  /** The server's state has been received on this connection (sync step 2). */
  synced: boolean;
  /** Local changes not yet acknowledged as durable. */
  pending: number;
}

export function deriveSyncState({ connected, synced, pending }: SyncFacts): SyncState {
  if (!connected) return 'offline';
  return synced && pending === 0 ? 'saved' : 'syncing';
}

/**
 * Counts local changes until the server says they are durable. Collab answers each connection
 * with message type 101 carrying how many of that connection's update messages (sync step 2 and
 * update) are durable so far; the count starts again on every connection. So this keeps the
 * messages sent on the current connection in order, with the number of local changes each one
 * carries, plus the changes that could not be sent yet (offline): those travel in the sync step 2
 * answer of the next connection, all in one message.
 */
export class PendingChanges {
  /** Local changes not sent on the current connection. */
  #waiting = 0;
  /** Messages sent on the current connection, oldest first, not yet acknowledged. */
  #inFlight: { index: number; changes: number }[] = [];
  /** Update messages sent on the current connection. */
  #sent = 0;

  get pending(): number {
    return this.#waiting + this.#inFlight.reduce((sum, m) => sum + m.changes, 0);
  }

  /** A local change: sent at once as its own message when the socket is open, else it waits. */
  localChange(sentNow: boolean): void {
    if (sentNow) this.#inFlight.push({ index: ++this.#sent, changes: 1 });
    else this.#waiting += 1;
  }

  /**
   * The answer to the server's sync step 1 went out with what the server lacked: it carries the
   * waiting changes (at least one change: it may hold edits kept in IndexedDB from an earlier visit).
   */
  catchUpSent(): void {
    this.#inFlight.push({ index: ++this.#sent, changes: Math.max(1, this.#waiting) });
    this.#waiting = 0;
  }

  /** The server's sync step 1 showed it already holds everything: nothing was waiting after all. */
  catchUpNotNeeded(): void {
    this.#waiting = 0;
  }

  /** Message type 101: the first `count` update messages of this connection are durable. */
  acknowledged(count: number): void {
    this.#inFlight = this.#inFlight.filter((m) => m.index > count);
  }

  /** The connection closed: what was not acknowledged waits for the next one. */
  connectionClosed(): void {
    this.#waiting = this.pending;
    this.#inFlight = [];
    this.#sent = 0;
  }
}

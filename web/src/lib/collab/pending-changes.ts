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
 * Counts local changes until collab says they are durable. Two signals, per connection:
 *
 * - message type 101 carries how many of the connection's update messages collab has logged
 *   and made durable. An update that changes nothing there (an edit it already holds, a delete
 *   of something already deleted) is neither logged nor counted, so the count can lag behind the
 *   messages sent: taking it as "the first n messages are durable" is safe (they were processed
 *   in order before the n-th logged one) but may leave some unconfirmed.
 * - a sync step 1 from the client is answered (step 2) only after everything collab received
 *   before it is durable: a barrier. Each such probe confirms every message sent before it.
 *
 * Changes that could not be sent (offline, or before the connection caught up) wait and travel
 * in the catch-up answer to the server's sync step 1 of the next connection, all in one message.
 */
export class PendingChanges {
  /** Local changes not sent on the current connection. */
  #waiting = 0;
  /** Messages sent on the current connection, oldest first, not yet confirmed. */
  #inFlight: { index: number; changes: number }[] = [];
  /** Update messages sent on the current connection. */
  #sent = 0;
  /** Sync step 1 requests awaiting their answer: how many messages each one covers. */
  #probes: number[] = [];

  get pending(): number {
    return this.#waiting + this.#inFlight.reduce((sum, m) => sum + m.changes, 0);
  }

  /** Messages are out that no answered or outstanding probe covers. */
  get unprobed(): boolean {
    const last = this.#inFlight.at(-1);
    return last !== undefined && (this.#probes.at(-1) ?? 0) < last.index;
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

  /** Message type 101: `count` update messages of this connection are durable. */
  acknowledged(count: number): void {
    this.#inFlight = this.#inFlight.filter((m) => m.index > count);
  }

  /** A sync step 1 went out (the opening one, or a probe): its answer confirms what was sent. */
  probeSent(): void {
    this.#probes.push(this.#sent);
  }

  /** A sync step 2 arrived: the answer to the oldest outstanding sync step 1. */
  probeAnswered(): void {
    const covers = this.#probes.shift();
    if (covers !== undefined) this.#inFlight = this.#inFlight.filter((m) => m.index > covers);
  }

  /** The connection closed: what was not confirmed waits for the next one. */
  connectionClosed(): void {
    this.#waiting = this.pending;
    this.#inFlight = [];
    this.#sent = 0;
    this.#probes = [];
  }
}

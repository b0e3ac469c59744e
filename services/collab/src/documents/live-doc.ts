import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { collabCloseCodes } from '@agora/proto';
import { backoffMs, type Logger } from '@agora/platform';
import type { CollabConfig } from '../common/collab-config.js';
import { awarenessMessage, syncStep2Message, updateMessage } from '../common/wire-messages.js';
import type { RelayMessage, RelayRepository } from '../relay/relay.repository.js';
import type { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { LogChainBroken, type UpdateLog } from '../update-log/update-log.repository.js';
import { guardAwarenessUpdate } from './awareness-guard.js';
import { staysWithin } from './comment-scope.js';
import { CLOSED_ORIGIN, RELAY_ORIGIN, type DocPeer } from './doc-peer.js';
import type { DurableState } from './durable-load.js';

export interface LiveDocDeps {
  config: CollabConfig;
  log: UpdateLog;
  relay: RelayRepository;
  snapshots: SnapshotRepository;
  logger: Logger;
  /** Unique per load of a doc in this process: msg ids of two loads never meet in the dedupe window. */
  epoch: string;
  /** Called after each acknowledged batch (the change feed). */
  onDurable?: (docName: string, members: readonly string[], seq: number, updates: number) => void;
}

interface Accepted {
  update: Uint8Array;
  peer: DocPeer;
  /** Root types the update may change (a `comment` connection's); any when absent. */
  scope?: ReadonlySet<string>;
  /** Server changes wait for their sequence. */
  onDurable?: (seq: number) => void;
  onFailed?: (err: Error) => void;
}

/** An update Yjs cannot apply, or a state vector it cannot read: the sender is closed with 4400. */
export class MalformedUpdate extends Error {}

/** A deferred snapshot nobody asked for is applied after this long (ms). */
const HYDRATE_AFTER_MS = 1_000;

/** Origin of the one transaction that applies a batch (its update event is the merged batch). */
const BATCH_ORIGIN = Symbol('batch');

/**
 * One document open on this replica: its Y.Doc, awareness and local peers, and the path every
 * accepted update takes — batched, applied to the doc in one transaction per batch (whose update
 * event is the merged batch: Yjs encodes it once, where `Y.mergeUpdates` of thousands of tiny
 * updates costs more than everything else on the path), appended to the log, and only once
 * acknowledged sent to the other local peers and the other replicas. The doc thus holds durable
 * edits plus at most the batch in flight; a joiner is answered when no batch is in flight. Updates
 * from other replicas are already durable: applied and sent to local peers at once, in log order
 * (a gap is read from the log first).
 */
export class LiveDoc {
  private readonly ydoc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.ydoc);
  readonly peers = new Set<DocPeer>();
  /** Highest log sequence applied here. */
  lastSeq = 0;
  /** The doc's last sequence in the log as far as this replica knows: appends expect it. */
  private chainSeq = 0;
  private sizeEstimate = 0;
  private pending: Accepted[] = [];
  private pendingBytes = 0;
  private inFlight = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private joiners: { peer: DocPeer; stateVector: Uint8Array }[] = [];
  private readonly savedCounts = new Map<DocPeer, number>();
  private readonly awarenessIds = new Map<DocPeer, Set<number>>();
  private catchingUp: Promise<void> | null = null;
  private relayQueue: RelayMessage[] = [];
  private batches = 0;
  private destroyed = false;
  private readonly durableWaiters: (() => void)[] = [];
  /** The update event of the batch transaction under way. */
  private captured: Uint8Array | null = null;
  /**
   * The whole state encoded, for peers that have nothing (every cold join): kept until the next
   * transaction on the doc, so joins in between skip encoding it (a large doc takes tens of ms).
   */
  private fullState: Uint8Array | null = null;
  /**
   * A loaded snapshot not applied to the doc yet, with its state vector: a cold join is answered
   * from its bytes (the state as it is) before the replica spends the ~100 ms of a large first
   * apply; the apply comes right after, or sooner when anything needs the doc itself.
   */
  private unapplied: { state: Uint8Array; stateVector: Uint8Array } | null = null;
  private hydrateSoon: NodeJS.Immediate | undefined;
  private hydrateLater: NodeJS.Timeout | undefined;

  constructor(
    readonly docName: string,
    private readonly deps: LiveDocDeps,
  ) {
    // The server holds no awareness state of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    // Any transaction may change the state; encoding one creates none.
    this.ydoc.on('afterTransaction', () => (this.fullState = null));
  }

  /** The doc, with every loaded state applied (a deferred snapshot is applied first). */
  get doc(): Y.Doc {
    if (this.unapplied) this.hydrate();
    return this.ydoc;
  }

  /**
   * Sets where the loaded state stands (see `loadDurableInto`). A deferred snapshot is applied
   * right after the first joiner was answered from its bytes (its sync step 1 may come a little
   * after the load: applying first would make it wait for the apply), at once when anything needs
   * the doc itself (an edit, a relayed update, a joiner that has part of the state), and at the
   * latest after HYDRATE_AFTER_MS.
   */
  loaded(state: DurableState): void {
    this.lastSeq = state.seq;
    this.chainSeq = state.chainSeq;
    this.sizeEstimate = state.bytes;
    // The stored snapshot is the whole state when nothing followed it: no need to encode it again.
    this.fullState = state.state ?? null;
    if (state.deferred && state.state) {
      this.unapplied = { state: state.state, stateVector: state.deferred.stateVector };
      this.hydrateLater = setTimeout(() => this.hydrate(), HYDRATE_AFTER_MS);
    }
  }

  /** The doc's state vector (a deferred snapshot's, stored with it, without applying it). */
  stateVector(): Uint8Array {
    return this.unapplied ? this.unapplied.stateVector : Y.encodeStateVector(this.ydoc);
  }

  /** Applies a deferred snapshot now (idempotent). */
  hydrate(): void {
    const pending = this.unapplied;
    if (!pending || this.destroyed) return;
    this.unapplied = null;
    if (this.hydrateSoon) clearImmediate(this.hydrateSoon);
    this.hydrateSoon = undefined;
    clearTimeout(this.hydrateLater);
    try {
      Y.applyUpdate(this.ydoc, pending.state, RELAY_ORIGIN);
    } catch (err) {
      this.deps.logger.error({ err, doc: this.docName }, 'a stored snapshot cannot be applied');
    }
    // Still the exact state: joiners with nothing keep getting the stored bytes.
    this.fullState = pending.state;
  }

  /** Nothing accepted here is waiting to become durable. */
  get idle(): boolean {
    return this.pending.length === 0 && !this.inFlight;
  }

  addPeer(peer: DocPeer): void {
    this.peers.add(peer);
  }

  removePeer(peer: DocPeer): void {
    this.peers.delete(peer);
    this.savedCounts.delete(peer);
    this.joiners = this.joiners.filter((j) => j.peer !== peer);
    const ids = this.awarenessIds.get(peer);
    this.awarenessIds.delete(peer);
    if (ids && ids.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], CLOSED_ORIGIN);
    }
  }

  /**
   * A peer's sync step 1: answered with what it lacks, but only from a durable state: at once when
   * no batch is in flight (pending updates are not in the doc yet), else right after its ack.
   */
  syncRequest(peer: DocPeer, stateVector: Uint8Array): void {
    if (!this.inFlight) {
      peer.send(syncStep2Message(this.diff(stateVector)));
      return;
    }
    this.joiners.push({ peer, stateVector });
  }

  /**
   * A peer's update (sync step 2 or update): queued for the next batch. With a scope it is checked
   * when its batch is applied (against the doc as it then stands) and dropped, like a read-only
   * peer's, when it changes anything outside those root types.
   */
  accept(update: Uint8Array, peer: DocPeer, scope?: ReadonlySet<string>): void {
    this.queue(scope ? { update, peer, scope } : { update, peer });
  }

  /** A change made by the server: resolves with its log sequence once durable. */
  acceptServerChange(update: Uint8Array, peer: DocPeer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue({ update, peer, onDurable: resolve, onFailed: reject });
    });
  }

  /**
   * A peer's awareness: only the entries it may write (`awareness-guard.ts`), stamped with its
   * member, are applied, relayed and broadcast; the rest are dropped without closing it.
   */
  awarenessFrom(peer: DocPeer, update: Uint8Array): void {
    if (peer.memberId === null) return;
    try {
      const allowed = guardAwarenessUpdate(
        update,
        peer.memberId,
        this.awareness.getStates(),
        this.awarenessIds.get(peer) ?? new Set(),
      );
      if (allowed) awarenessProtocol.applyAwarenessUpdate(this.awareness, allowed, peer);
    } catch {
      throw new MalformedUpdate('awareness update cannot be read');
    }
  }

  /** Answer to query-awareness: every known state. */
  awarenessStates(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length === 0) return null;
    return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  /** Resolves once nothing accepted here is waiting to become durable (shutdown, unload). */
  whenDurable(): Promise<void> {
    if (this.idle) return Promise.resolve();
    this.flushSoon(0);
    return new Promise((resolve) => this.durableWaiters.push(resolve));
  }

  /** A message from another replica (its own were dropped by the registry). */
  onRelay(msg: RelayMessage): void {
    if (this.destroyed) return;
    if (msg.meta.kind === 'awareness') {
      try {
        awarenessProtocol.applyAwarenessUpdate(this.awareness, msg.data, RELAY_ORIGIN);
      } catch {
        // A malformed awareness message from the bus changes nothing.
      }
      return;
    }
    if (this.catchingUp) {
      this.relayQueue.push(msg);
      return;
    }
    if (msg.meta.seq <= this.lastSeq) return;
    if (msg.prevSeq === this.lastSeq) {
      this.applyDurable(msg.data, msg.meta.seq);
      this.chainSeq = Math.max(this.chainSeq, msg.meta.seq);
      return;
    }
    this.relayQueue.push(msg);
    void this.catchUp();
  }

  /**
   * Reads what this replica missed from the log (then the snapshot, for what a compaction purged
   * meanwhile) and applies it; relay messages arriving meanwhile are applied after, in order.
   */
  catchUp(): Promise<void> {
    this.catchingUp ??= (async () => {
      try {
        for (let attempt = 0; !this.destroyed; attempt += 1) {
          try {
            const tail = await this.deps.log.readTail(this.docName, this.lastSeq);
            const headSeq = await this.deps.snapshots.headSeq(this.docName);
            if (headSeq > this.lastSeq) {
              const snapshot = await this.deps.snapshots.latest(this.docName);
              if (snapshot && snapshot.seq > this.lastSeq)
                this.applyDurable(snapshot.state, snapshot.seq);
            }
            for (const entry of tail.entries)
              if (entry.seq > this.lastSeq) this.applyDurable(entry.update, entry.seq);
            this.chainSeq = tail.lastSeq;
            return;
          } catch (err) {
            this.deps.logger.warn({ err, doc: this.docName }, 'catching up from the log failed');
            await new Promise((r) => setTimeout(r, backoffMs(attempt, 5_000)));
          }
        }
      } finally {
        this.catchingUp = null;
        const queued = this.relayQueue;
        this.relayQueue = [];
        for (const msg of queued) this.onRelay(msg);
      }
    })();
    return this.catchingUp;
  }

  destroy(): void {
    this.destroyed = true;
    this.unapplied = null;
    if (this.hydrateSoon) clearImmediate(this.hydrateSoon);
    clearTimeout(this.hydrateLater);
    clearTimeout(this.flushTimer);
    if (this.immediate) clearImmediate(this.immediate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.peers.clear();
  }

  private diff(stateVector: Uint8Array): Uint8Array {
    try {
      if (Y.decodeStateVector(stateVector).size > 0)
        return Y.encodeStateAsUpdate(this.doc, stateVector);
      // The stored bytes while a deferred snapshot waits: the doc is not needed for them. It is
      // applied on the next turn, once this answer is written.
      if (this.fullState) {
        if (this.unapplied)
          this.hydrateSoon ??= setImmediate(() => {
            this.hydrateSoon = undefined;
            this.hydrate();
          });
        return this.fullState;
      }
      this.fullState = Y.encodeStateAsUpdate(this.doc);
      return this.fullState;
    } catch {
      throw new MalformedUpdate('state vector cannot be read');
    }
  }

  private queue(item: Accepted): void {
    const { update } = item;
    // An empty update (the step 2 every client sends on connect when it has nothing new).
    if (update.byteLength <= 2 && update.every((b) => b === 0)) {
      item.onDurable?.(this.lastSeq);
      return;
    }
    const max = this.deps.config.COLLAB_MAX_DOC_BYTES;
    if (this.sizeEstimate + update.byteLength > max) {
      // The estimate only grows (deletions shrink a state): measure before refusing.
      this.sizeEstimate = Y.encodeStateAsUpdate(this.doc).byteLength + this.pendingBytes;
      if (this.sizeEstimate + update.byteLength > max) {
        this.refuse(item, collabCloseCodes.tooLarge, 'document too large');
        return;
      }
    }
    this.sizeEstimate += update.byteLength;
    this.pending.push(item);
    this.pendingBytes += update.byteLength;
    if (this.pendingBytes >= this.deps.config.COLLAB_BATCH_MAX_BYTES) this.flushSoon(0);
    else this.flushSoon(this.deps.config.COLLAB_BATCH_MS);
  }

  /**
   * Applies a batch in one transaction, each update with its own error handling (a malformed one
   * closes its sender, the others go on); answers the merged update, null when nothing changed.
   */
  private applyBatch(items: Accepted[]): { merged: Uint8Array | null; ok: Accepted[] } {
    const ok: Accepted[] = [];
    this.captured = null;
    this.doc.on('update', this.capture);
    try {
      Y.transact(
        this.doc,
        () => {
          for (const item of items) {
            if (item.scope && !staysWithin(this.doc, item.update, item.scope)) {
              // Not applied, logged, relayed nor credited; the peer stays connected.
              this.deps.logger.debug({ doc: this.docName }, 'update outside its scope dropped');
              continue;
            }
            try {
              Y.applyUpdate(this.doc, item.update, BATCH_ORIGIN);
              ok.push(item);
            } catch {
              this.refuse(item, collabCloseCodes.badRequest, 'update cannot be applied');
            }
          }
        },
        BATCH_ORIGIN,
      );
    } finally {
      this.doc.off('update', this.capture);
    }
    const merged = this.captured;
    this.captured = null;
    return { merged, ok };
  }

  private readonly capture = (update: Uint8Array, origin: unknown): void => {
    if (origin === BATCH_ORIGIN) this.captured = update;
  };

  private refuse(item: Accepted, code: number, reason: string): void {
    item.peer.refuse(code, reason);
    item.onFailed?.(new Error(reason));
  }

  private flushSoon(ms: number): void {
    if (this.inFlight) return;
    if (ms === 0) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      // After the I/O phase: every frame read from the sockets in this turn joins the batch.
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        void this.flush();
      });
      return;
    }
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, ms);
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.destroyed) return;
    if (this.pending.length === 0) {
      this.afterBatch();
      return;
    }
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    // A batch stays well under the log's 1 MiB message: at least one update, then up to the cap.
    const cap = this.deps.config.COLLAB_BATCH_MAX_BYTES;
    let bytes = 0;
    let n = 0;
    while (
      n < this.pending.length &&
      (n === 0 || bytes + this.pending[n]!.update.byteLength <= cap)
    )
      bytes += this.pending[n++]!.update.byteLength;
    const taken = this.pending.splice(0, n);
    this.pendingBytes -= bytes;
    // From here the doc holds edits not durable yet: joiners wait for the ack.
    this.inFlight = true;
    const { merged, ok: items } = this.applyBatch(taken);
    // A refused update may still have changed the doc: Yjs integrates an update's structs before it
    // reads its delete set, so a truncated one throws half-applied. What the doc holds is logged
    // and relayed like any edit, or this replica would serve joiners what no other replica has.
    if (merged === null) {
      // Nothing new (a resent edit, an empty or wholly refused update): nothing to log.
      this.credit(items, this.lastSeq);
      this.afterBatch();
      return;
    }
    const members = new Set<string>();
    for (const i of items) if (i.peer.memberId) members.add(i.peer.memberId);
    this.batches += 1;
    const msgId = `${this.deps.config.COLLAB_REPLICA_ID}-${this.docName}-${this.deps.epoch}-${this.batches}`;

    let seq = 0;
    let prevAtSend = 0;
    for (let attempt = 0; seq === 0 && !this.destroyed;) {
      prevAtSend = this.lastSeq;
      try {
        seq = await this.deps.log.append(this.docName, merged, {
          replica: this.deps.config.COLLAB_REPLICA_ID,
          members: [...members],
          msgId,
          expectLastSeq: this.chainSeq,
        });
      } catch (err) {
        if (err instanceof LogChainBroken) {
          await this.catchUp();
          continue;
        }
        this.deps.logger.warn(
          { err: err instanceof Error ? err.message : String(err), doc: this.docName, attempt },
          'append to the update log failed; retrying (nothing is relayed meanwhile)',
        );
        await new Promise((r) => setTimeout(r, backoffMs(attempt, 5_000)));
        attempt += 1;
      }
    }
    if (seq === 0) {
      this.inFlight = false;
      return;
    }

    // The sender vouches for the gap before its entry only when nothing arrived meanwhile.
    const prev = seq > this.lastSeq && prevAtSend === this.lastSeq ? prevAtSend : 0;
    if (seq > this.lastSeq) this.lastSeq = seq;
    this.chainSeq = Math.max(this.chainSeq, seq);

    const writers = new Set(items.map((i) => i.peer));
    const only = writers.size === 1 ? items[0]!.peer : null;
    const frame = updateMessage(merged);
    for (const p of this.peers) if (p !== only) p.send(frame);
    this.deps.relay.publishUpdate(
      this.docName,
      this.deps.config.COLLAB_REPLICA_ID,
      merged,
      seq,
      prev,
    );
    this.credit(items, seq);
    this.deps.onDurable?.(this.docName, [...members], seq, items.length);
    this.afterBatch();
  }

  /** Tells each writer how many of its updates are durable now (type 101). */
  private credit(items: Accepted[], seq: number): void {
    const writers = new Set<DocPeer>();
    for (const i of items) {
      i.onDurable?.(seq);
      if (!this.peers.has(i.peer)) continue;
      this.savedCounts.set(i.peer, (this.savedCounts.get(i.peer) ?? 0) + 1);
      writers.add(i.peer);
    }
    for (const w of writers) w.saved(this.savedCounts.get(w)!);
  }

  /** A batch is done: joiners are answered from this (durable) state before the next one starts. */
  private afterBatch(): void {
    this.inFlight = false;
    const joiners = this.joiners;
    this.joiners = [];
    for (const j of joiners) {
      try {
        j.peer.send(syncStep2Message(this.diff(j.stateVector)));
      } catch {
        j.peer.refuse(collabCloseCodes.badRequest, 'state vector cannot be read');
      }
    }
    if (this.pending.length > 0) {
      const now = this.pendingBytes >= this.deps.config.COLLAB_BATCH_MAX_BYTES;
      this.flushSoon(now ? 0 : this.deps.config.COLLAB_BATCH_MS);
      return;
    }
    for (const resolve of this.durableWaiters.splice(0)) resolve();
  }

  /** An update already in the log (another replica's, or read back): applied, sent to every peer. */
  private applyDurable(update: Uint8Array, seq: number): void {
    try {
      Y.applyUpdate(this.doc, update, RELAY_ORIGIN);
    } catch (err) {
      this.deps.logger.error({ err, doc: this.docName, seq }, 'a logged update cannot be applied');
    }
    this.sizeEstimate += update.byteLength;
    if (seq > this.lastSeq) this.lastSeq = seq;
    const frame = updateMessage(update);
    for (const p of this.peers) p.send(frame);
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = change.added.concat(change.updated, change.removed);
    if (changed.length === 0) return;
    if (typeof origin === 'object' && origin !== null && this.peers.has(origin as DocPeer)) {
      const peer = origin as DocPeer;
      let ids = this.awarenessIds.get(peer);
      if (!ids) this.awarenessIds.set(peer, (ids = new Set()));
      for (const id of change.added) ids.add(id);
      for (const id of change.updated) ids.add(id);
      for (const id of change.removed) ids.delete(id);
    }
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    const frame = awarenessMessage(update);
    for (const p of this.peers) p.send(frame);
    // Local changes cross to the other replicas; theirs and timeouts do not come back.
    if (origin !== RELAY_ORIGIN && origin !== 'timeout' && origin !== 'local')
      this.deps.relay.publishAwareness(this.docName, this.deps.config.COLLAB_REPLICA_ID, update);
  };
}

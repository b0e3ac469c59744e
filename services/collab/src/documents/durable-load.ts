import * as Y from 'yjs';
import type { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import type { UpdateLog } from '../update-log/update-log.repository.js';

export interface DurableState {
  /** Highest log sequence the state covers (snapshot's or last entry's). */
  seq: number;
  /** The doc's last sequence in the log when read (0 when the log holds none): appends build on it. */
  chainSeq: number;
  /** Bytes read (snapshot and entries): an upper bound of the state's size. */
  bytes: number;
  /** The stored snapshot's bytes when the state is exactly that snapshot (nothing after it). */
  state?: Uint8Array;
  /**
   * Set (with `state`) when the load was asked to defer and could: `doc` was left empty, `state`
   * is still to be applied to it, and this is its state vector (stored with the snapshot).
   */
  deferred?: { stateVector: Uint8Array };
}

export interface LoadOptions {
  /** Transaction origin of what is applied. */
  origin?: unknown;
  /**
   * When the durable state is exactly one stored snapshot whose state vector was saved with it,
   * apply nothing: the caller applies `state` later (a cold join is answered from the bytes first).
   */
  defer?: boolean;
}

/**
 * Fills `doc` with the doc's durable state: latest snapshot, then the log after it (the snapshot
 * and the log's last sequence are read at once; a compacted doc needs nothing more). A compactor
 * may save a newer snapshot and purge what it covers while a tail is read; the snapshot is read
 * again after the log and applied too when it moved, so nothing purged meanwhile is missed.
 */
export async function loadDurableInto(
  doc: Y.Doc,
  docName: string,
  snapshots: SnapshotRepository,
  log: UpdateLog,
  options: LoadOptions = {},
): Promise<DurableState> {
  const origin = options.origin ?? null;
  // Both at once: whichever order they are answered in, a snapshot at or past the log's last
  // entry holds the whole log (a compaction keeps that entry), and nothing is left to read.
  const [first, logLast] = await Promise.all([snapshots.latest(docName), log.lastSeq(docName)]);
  let seq = first?.seq ?? 0;
  let bytes = 0;
  let only: Uint8Array | undefined;
  if (logLast <= seq) {
    const chainSeq = Math.max(logLast, seq);
    if (!first) return { seq, chainSeq, bytes };
    if (options.defer && first.stateVector)
      return {
        seq,
        chainSeq,
        bytes: first.state.byteLength,
        state: first.state,
        deferred: { stateVector: first.stateVector },
      };
    Y.transact(doc, () => Y.applyUpdate(doc, first.state), origin);
    return { seq, chainSeq, bytes: first.state.byteLength, state: first.state };
  }
  const tail = await log.readTail(docName, seq, { knownLast: logLast });
  // Only the head's sequence: the state is read again only when it moved.
  const headSeq = await snapshots.headSeq(docName);
  const again = headSeq > seq ? await snapshots.latest(docName) : null;
  Y.transact(
    doc,
    () => {
      if (first) {
        Y.applyUpdate(doc, first.state);
        bytes += first.state.byteLength;
        only = first.state;
      }
      if (again && again.seq > seq) {
        Y.applyUpdate(doc, again.state);
        bytes += again.state.byteLength;
        seq = again.seq;
        only = undefined;
      }
      for (const entry of tail.entries) {
        if (entry.seq <= seq) continue;
        Y.applyUpdate(doc, entry.update);
        bytes += entry.update.byteLength;
        seq = entry.seq;
        only = undefined;
      }
    },
    origin,
  );
  return only
    ? { seq, chainSeq: tail.lastSeq, bytes, state: only }
    : { seq, chainSeq: tail.lastSeq, bytes };
}

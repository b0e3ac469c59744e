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
}

/**
 * Fills `doc` with the doc's durable state: latest snapshot, then the log after it. A compactor
 * may save a newer snapshot and purge what it covers between the two reads; the snapshot is read
 * again after the log and applied too when it moved, so nothing purged meanwhile is missed.
 */
export async function loadDurableInto(
  doc: Y.Doc,
  docName: string,
  snapshots: SnapshotRepository,
  log: UpdateLog,
  origin: unknown = null,
): Promise<DurableState> {
  const first = await snapshots.latest(docName);
  let seq = first?.seq ?? 0;
  let bytes = 0;
  let only: Uint8Array | undefined;
  const tail = await log.readTail(docName, seq);
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

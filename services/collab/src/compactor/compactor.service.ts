import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import * as Y from 'yjs';
import { Clock } from '@agora/platform';
import { COLLAB_CONFIG, type CollabConfig } from '../common/collab-config.js';
import { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { UpdateLog } from '../update-log/update-log.repository.js';
import { CompactionLeaseRepository } from './compaction-lease.repository.js';

/**
 * The longest the merge holds the event loop at a time. The compactor runs in the replicas: 500
 * log entries applied in one go block it for 20-50 ms, and every editor of every doc on the
 * replica waits that long for their next update (the fan-out benchmark's slowest updates).
 */
const SLICE_MS = 4;
/**
 * Log entries pulled at a time: a pull is decoded in one run of the event loop, 70-130 ms for the
 * loaders' 512 (measured with 624 entries), 10-20 ms for 64.
 */
const TAIL_PULL = 64;

export type CompactionResult =
  | { outcome: 'compacted'; seq: number; entries: number; bytes: number }
  /** Another compactor holds the doc's lease. */
  | { outcome: 'busy' }
  /** Nothing past the snapshot (entries it already covers were purged, if any were left). */
  | { outcome: 'up-to-date' };

/**
 * Merges a doc's snapshot and log tail into a new snapshot, then purges what it covers but the
 * last entry: the doc's last log sequence stays where replicas holding it chained their next
 * append (`expectLastSeq`), so a compaction never sends them to catch up. Holds the doc's lease
 * throughout, so two compactors never work on one doc at once. A crash between the save and the
 * purge loses nothing: a load skips log entries at or below the snapshot's sequence, and the next
 * compaction of the doc purges them.
 */
@Injectable()
export class Compactor {
  /** This compactor's lease holder id (unique per process and instance). */
  readonly holder: string;
  private readonly leaseMs: number;

  constructor(
    @Inject(SnapshotRepository) private readonly snapshots: SnapshotRepository,
    @Inject(UpdateLog) private readonly log: UpdateLog,
    @Inject(CompactionLeaseRepository) private readonly leases: CompactionLeaseRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(COLLAB_CONFIG)
    config: Pick<CollabConfig, 'COLLAB_REPLICA_ID' | 'COLLAB_COMPACT_LEASE_MS'>,
  ) {
    this.holder = `${config.COLLAB_REPLICA_ID}:${randomBytes(4).toString('hex')}`;
    this.leaseMs = config.COLLAB_COMPACT_LEASE_MS;
  }

  async compact(docName: string): Promise<CompactionResult> {
    if (!(await this.takeLease(docName))) return { outcome: 'busy' };
    try {
      const snapshot = await this.snapshots.latest(docName);
      const { entries: tail } = await this.log.readTail(docName, snapshot?.seq ?? 0, {
        batch: TAIL_PULL,
      });
      const last = tail.at(-1);
      if (!last) {
        if (snapshot) await this.log.purgeUpTo(docName, snapshot.seq - 1);
        return { outcome: 'up-to-date' };
      }
      // Garbage collection on (Yjs' default): deleted content leaves the snapshot as it does the
      // live doc; an update the tail lacks a dependency of stays pending and is encoded with it.
      const doc = new Y.Doc();
      if (snapshot) Y.applyUpdate(doc, snapshot.state);
      let sliceStart = performance.now();
      for (const entry of tail) {
        Y.applyUpdate(doc, entry.update);
        if (performance.now() - sliceStart >= SLICE_MS) {
          // The doc is this merge's own: nothing else touches it while other work runs.
          await nextTurn();
          sliceStart = performance.now();
        }
      }
      const state = Y.encodeStateAsUpdate(doc);
      const stateVector = Y.encodeStateVector(doc);
      doc.destroy();
      // A lease that lapsed while we merged may have another holder now: leave the doc to it.
      if (!(await this.takeLease(docName))) return { outcome: 'busy' };
      // False means a snapshot at `last.seq` or later exists: the purge below is as safe.
      await this.snapshots.save(docName, last.seq, state, stateVector);
      await this.log.purgeUpTo(docName, last.seq - 1);
      return { outcome: 'compacted', seq: last.seq, entries: tail.length, bytes: state.byteLength };
    } finally {
      await this.leases.release(docName, this.holder);
    }
  }

  private takeLease(docName: string): Promise<boolean> {
    const now = this.clock.now();
    return this.leases.acquire(docName, this.holder, now, new Date(now.getTime() + this.leaseMs));
  }
}

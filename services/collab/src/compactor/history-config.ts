import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The history side's variables (compactor, change feed), part of collab's environment schema;
 * each is in the README's configuration table.
 */
export const historyEnvShape = {
  /** `off` keeps this replica from compacting (another replica, or a worker process, does). */
  COLLAB_COMPACTOR: z.enum(['on', 'off']).default('on'),
  /** A doc is compacted once its update log holds this many entries past its snapshot. */
  COLLAB_COMPACT_UPDATES: int(1, 10_000_000).default(500),
  /** A doc with any entry past its snapshot is compacted after this long without a new one (ms). */
  COLLAB_COMPACT_IDLE_MS: int(100, 86_400_000).default(30_000),
  /** How often the compactor reads the log's per-document entry counts (ms). */
  COLLAB_COMPACT_POLL_MS: int(50, 600_000).default(5_000),
  /** How long a compactor holds a doc's lease; a crashed one's lease lapses after this (ms). */
  COLLAB_COMPACT_LEASE_MS: int(1_000, 3_600_000).default(60_000),
  /** A doc's `collab.doc.changed` goes out after this long without a new update (ms). */
  COLLAB_FEED_QUIET_MS: int(0, 600_000).default(5_000),
  /** …and at the latest this long after the first update of the period, while edits go on (ms). */
  COLLAB_FEED_MAX_WAIT_MS: int(0, 3_600_000).default(60_000),
};

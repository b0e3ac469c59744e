import { hostname } from 'node:os';
import { z } from 'zod';
import { mongoEnvSchema } from '@agora/platform';
import { replicaIdPattern } from '@agora/proto';
import { historyEnvShape } from '../compactor/history-config.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The launcher's `REPLICA_ID` (`collab-1`, …) when it runs several; else `<host>-<pid>`, lowercased
 * and cut to what `Agora-Replica` may hold.
 */
function defaultReplicaId(): string {
  const given = process.env.REPLICA_ID?.toLowerCase();
  if (given && replicaIdPattern.test(given)) return given;
  const host = hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${host || 'collab'}-${process.pid}`;
}

/**
 * Collab's environment: the platform's variables (MONGO_URL required: snapshots live there) plus the
 * live path's limits. Every variable is in the README's configuration table.
 */
export const collabEnvSchema = mongoEnvSchema.extend({
  /** This replica's id on the relay subjects and in update-log msg ids; unique per running replica. */
  COLLAB_REPLICA_ID: z
    .string()
    .regex(replicaIdPattern, 'lowercase letters, digits and -, at most 64')
    .default(defaultReplicaId),
  /**
   * Longest an accepted update waits for its batch to be appended (ms). 0: appended as soon as no
   * append of its doc is in flight (what arrives meanwhile forms the next batch), with what the
   * sockets delivered in the same event-loop turn.
   */
  COLLAB_BATCH_MS: int(0, 1_000).default(0),
  /**
   * A batch is appended at once when its updates reach this many bytes (the log takes 1 MiB).
   * Small enough that applying one batch stays a few ms (Yjs's transaction cleanup grows faster
   * than the batch): 256 KiB batches of the editing trace took up to 0.7 s each.
   */
  COLLAB_BATCH_MAX_BYTES: int(1 * KiB, 900 * KiB).default(32 * KiB),
  /** A doc with no connection for this long is unloaded from memory (ms). */
  COLLAB_IDLE_UNLOAD_MS: int(0, 3_600_000).default(30_000),
  /** Largest WebSocket message a client may send (bytes); larger closes with 4413. */
  COLLAB_MAX_MESSAGE_BYTES: int(1 * KiB, 900 * KiB).default(512 * KiB),
  /** Largest document (bytes of its Yjs state); an update growing it past this closes with 4413. */
  COLLAB_MAX_DOC_BYTES: int(64 * KiB, 1024 * MiB).default(32 * MiB),
  /** Messages per second one connection may send, sustained (token bucket refill). */
  COLLAB_RATE_MESSAGES_PER_S: int(1, 10_000_000).default(100_000),
  /** Messages one connection may send in a burst (bucket size). */
  COLLAB_RATE_MESSAGES_BURST: int(1, 100_000_000).default(200_000),
  /** Bytes per second one connection may send, sustained. */
  COLLAB_RATE_BYTES_PER_S: int(1 * KiB, 1024 * MiB).default(4 * MiB),
  /** Bytes one connection may send in a burst (at least one maximum-size message). */
  COLLAB_RATE_BYTES_BURST: int(1 * KiB, 4096 * MiB).default(16 * MiB),
  /** A ping goes to every socket this often; one that has not answered the previous is dropped (ms). */
  COLLAB_PING_INTERVAL_MS: int(100, 600_000).default(30_000),
  /** Open connections one member may hold on this replica; one more closes with 4429. */
  COLLAB_MAX_CONNECTIONS_PER_MEMBER: int(1, 100_000).default(32),
  /** Open connections one document may hold on this replica; one more closes with 4429. */
  COLLAB_MAX_CONNECTIONS_PER_DOC: int(1, 1_000_000).default(2_000),
  /** How long the connect-time rights check may wait for spaces (ms) before closing with 4503. */
  COLLAB_ACCESS_TIMEOUT_MS: int(100, 60_000).default(5_000),
  // The history side's: compactor and change feed.
  ...historyEnvShape,
});

export type CollabConfig = z.output<typeof collabEnvSchema>;

/** Nest injection token for the validated config. */
export const COLLAB_CONFIG = Symbol('COLLAB_CONFIG');

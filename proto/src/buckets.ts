const MiB = 1024 * 1024;

/** A JetStream object store bucket. */
export interface BucketDef {
  readonly name: string;
  /** Objects older than this are removed by the server, ms. */
  readonly maxAgeMs: number;
  /** Largest object the bucket's users accept, bytes. */
  readonly maxObjectBytes: number;
  /** What the whole bucket may hold, bytes: once full, a new object is refused. */
  readonly maxBytes: number;
  /** `memory` never reaches disk (and does not survive a server restart); `file` does both. */
  readonly storage: 'file' | 'memory';
}

/** JetStream object store buckets. */
export const buckets = {
  /**
   * Raw uploads the gateway hands to a service by name: a transient hand-off (the service reads an
   * upload and deletes it within the request), so it lives in memory. A raw image is personal data
   * that must leave the machine once used, and in file storage a deleted object's chunks stay in
   * the stream's block files until nats-server happens to compact them (only a secure message
   * delete, one API call per chunk, overwrites them). Losing the bucket in a server restart loses
   * only uploads in flight; the owner re-creates it on reconnect. 128 MiB: 25 uploads of the
   * largest size at once, far more than the requests a gateway holds open.
   */
  uploads: {
    name: 'AGORA_UPLOADS',
    maxAgeMs: 3_600_000,
    maxObjectBytes: 5 * MiB,
    maxBytes: 128 * MiB,
    storage: 'memory',
  },
} as const satisfies Record<string, BucketDef>;

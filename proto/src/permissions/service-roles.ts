import { buckets, type BucketDef } from '../buckets.js';
import { live } from '../live.js';
import { allRpcs } from '../registry.js';
import type { RpcDef } from '../rpc.js';

export type { BucketDef };

/** An object-store bucket a process reads and writes; exactly one process provisions each. */
export interface BucketUse {
  readonly bucket: BucketDef;
  readonly provisions: boolean;
}

/**
 * What a process does on the bus that no contract implies. The rest follows from the contracts
 * (see `busPermissionsOf`): a service named like a context serves that context's RPCs, publishes
 * its events, owns its stream `AGORA_<CONTEXT>`, and runs the consumers named `<service>-<purpose>`.
 */
export interface ServiceRoles {
  /** RPCs it calls (request/reply). */
  readonly calls: readonly RpcDef[];
  readonly buckets: readonly BucketUse[];
  /** Core NATS subjects it subscribes to for live traffic. */
  readonly listens: readonly string[];
}

/** A process declared nowhere here only gets what its contracts imply. */
export const noRoles: ServiceRoles = { calls: [], buckets: [], listens: [] };

export const serviceRoles = {
  identity: {
    calls: [],
    // Reads the images the gateway left there, and deletes them once used.
    buckets: [{ bucket: buckets.uploads, provisions: false }],
    listens: [],
  },
  gateway: {
    // The edge calls services on members' behalf: every RPC is reachable from a route or a socket.
    calls: allRpcs,
    // It writes uploads first, so it creates the bucket.
    buckets: [{ bucket: buckets.uploads, provisions: true }],
    listens: [live.allEvents],
  },
} as const satisfies Record<string, ServiceRoles>;

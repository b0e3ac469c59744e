import { buckets, type BucketDef } from '../buckets.js';
import { chatLive } from '../chat/chat-live.js';
import { presenceKvSubjects, presenceLive } from '../chat/presence.js';
import { allDocLiveSubjects } from '../collab/wire.js';
import { collabRpc } from '../collab/rpc.js';
import { identityDigestRpc } from '../identity/digest-rpc.js';
import { accountEvents, identityStreamReadSubjects } from '../identity/accounts.js';
import { identityEvents } from '../identity/events.js';
import { live } from '../live.js';
import { spacesEvents } from '../spaces/events.js';
import { spacesRpc } from '../spaces/rpc.js';
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
  /** Core NATS subjects it publishes live traffic on, for other processes to hear. */
  readonly publishes?: readonly string[];
  /** Core NATS subjects it both publishes and subscribes to: live traffic among its own replicas. */
  readonly broadcasts?: readonly string[];
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
  collab: {
    // Every connection is authorised by spaces.
    calls: [spacesRpc.docAccess],
    buckets: [],
    // Each replica re-checks its connections within a second of a rights change (core NATS, no
    // consumer: every replica must hear every change, and one missed while disconnected is made up
    // by re-checking all connections on reconnect).
    listens: [
      spacesEvents.membershipAdded.subject,
      spacesEvents.membershipRoleChanged.subject,
      spacesEvents.membershipRemoved.subject,
      spacesEvents.docAccessChanged.subject,
      identityEvents.roleChanged.subject,
      identityEvents.memberDeleted.subject,
      accountEvents.memberSuspended.subject,
    ],
    broadcasts: [allDocLiveSubjects],
    // Each replica reads identity's recent events for its view of suspended and deleted accounts
    // (refused at connect; an ordered consumer, like the gateway's).
    publishes: [...identityStreamReadSubjects],
  },
  spaces: {
    // Seeds each proposal's document, reads it to check a submission, freezes a version on submit;
    // reads a board's cards to judge them.
    calls: [collabRpc.seed, collabRpc.outline, collabRpc.versionFreeze, collabRpc.boardCards],
    buckets: [],
    listens: [],
  },
  chat: {
    // The forum asks spaces who may read and post in a space's feed; the notification digest and
    // waiting-list promotions are mailed by identity, which alone holds addresses and languages.
    calls: [spacesRpc.roomAccess, identityDigestRpc.digestSend, identityDigestRpc.promotionSend],
    // Reads the attachments the gateway left there, and deletes them once stored.
    buckets: [{ bucket: buckets.uploads, provisions: false }],
    listens: [],
    // Every change of a channel reaches the gateways' rooms over core NATS (bodies stay out of streams).
    publishes: [chatLive.allChannels],
  },
  gateway: {
    // The edge calls services on members' behalf: every RPC is reachable from a route or a socket.
    calls: allRpcs,
    // It writes uploads first, so it creates the bucket.
    buckets: [{ bucket: buckets.uploads, provisions: true }],
    listens: [live.allEvents, chatLive.allChannels],
    // Typing and presence go between the gateway's replicas; presence keys live in a KV bucket;
    // each replica reads identity's recent events for its view of suspended accounts, changed roles
    // and ended sessions (an ordered consumer: no durable, no RPC per handshake).
    broadcasts: [chatLive.allTyping, presenceLive.changed, presenceLive.heartbeat],
    publishes: [...presenceKvSubjects, ...identityStreamReadSubjects],
  },
} as const satisfies Record<string, ServiceRoles>;

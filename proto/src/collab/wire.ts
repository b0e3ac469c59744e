import { parseDocName } from '../doc-names.js';

/**
 * Close codes of `/collab/<docName>` (issue 9 contract). The stock y-websocket client stops
 * retrying on 4400–4499 and reconnects on anything else, so 4503 makes it come back.
 */
export const collabCloseCodes = {
  badRequest: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  tooLarge: 4413,
  rateLimited: 4429,
  shuttingDown: 4503,
} as const;
export type CollabCloseCode = (typeof collabCloseCodes)[keyof typeof collabCloseCodes];

/** The path prefix the one origin routes to collab; a doc's socket is `<prefix>/<docName>`. */
export const collabPath = '/collab';

/**
 * Query parameter and value a client sets to receive collab's own message types (100–103):
 * `/collab/<docName>?token=…&caps=agora`. Without it collab sends only the protocol's 0–3, since a
 * stock y-websocket client logs `Unable to compute message` for every type it has no handler for
 * (101 comes after each durable batch); such a client still gets everything the protocol carries
 * (a raised right re-syncs it with a sync step 1 alone), and its dropped updates are as before.
 */
export const collabCapsParam = 'caps';
export const collabCapsAgora = 'agora';

/**
 * y-websocket message types. 0–3 are the protocol's; collab tells a read-only connection with
 * `readOnly` (as Hocuspocus's read-only scope does), to clients that asked (`collabCapsParam`).
 */
export const collabMessageTypes = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server → client, no payload: this connection may read but its updates are ignored. */
  readOnly: 100,
  /** Server → client, varuint count: edits of this connection durable so far (for "saved"). */
  savedUpTo: 101,
  /**
   * Server → client, no payload: this connection may comment; its updates outside the `comments`
   * and `suggestions` maps are ignored.
   */
  commentOnly: 102,
  /**
   * Server → client, no payload: this connection, told 100 or 102 before, may write again (its
   * right was raised while it stayed open). A sync step 1 follows on the same connection, which
   * every y-websocket client answers with what the server lacks: edits it kept while its updates
   * were dropped reach the doc then, with no reconnect.
   */
  writable: 103,
} as const;

/**
 * Core NATS subjects between collab replicas holding the same doc: `agora.collab.live.<kind>.<id>`
 * carries each update after the log acknowledged it, and awareness. Never stored.
 */
export const docLivePrefix = 'agora.collab.live';
export const allDocLiveSubjects = `${docLivePrefix}.>`;

export function docLiveSubject(docName: string): string {
  const { kind, id } = parseDocName(docName);
  return `${docLivePrefix}.${kind}.${id}`;
}

/** Headers of a replica-to-replica message and of an update-log entry. */
export const collabHeaders = {
  /** Replica that accepted the update (its own messages are dropped on receipt). */
  replica: 'Agora-Replica',
  /** What the body is: an update or an awareness message. */
  kind: 'Agora-Kind',
  /** Update-log sequence of the batch (updates only). */
  seq: 'Agora-Seq',
  /** Members whose edits the batch holds, comma-separated (change feed). */
  members: 'Agora-Members',
} as const;

export const relayKinds = ['update', 'awareness'] as const;
export type RelayKind = (typeof relayKinds)[number];

/** Replica ids: what `Agora-Replica` may hold. */
export const replicaIdPattern = /^[a-z0-9-]{1,64}$/;

export interface RelayMeta {
  replica: string;
  kind: RelayKind;
  /** 0 for awareness. */
  seq: number;
}

/**
 * Reads and checks the headers of a relay message; null when any is missing or malformed (the
 * message is dropped, never applied).
 */
export function parseRelayMeta(get: (name: string) => string | undefined): RelayMeta | null {
  const replica = get(collabHeaders.replica);
  const kind = get(collabHeaders.kind);
  const seqText = get(collabHeaders.seq) ?? '0';
  if (!replica || !replicaIdPattern.test(replica)) return null;
  if (kind !== 'update' && kind !== 'awareness') return null;
  if (!/^\d{1,15}$/.test(seqText)) return null;
  const seq = Number(seqText);
  if (kind === 'update' && seq < 1) return null;
  return { replica, kind, seq };
}

/**
 * What a live doc needs of whoever edits or follows it: a WebSocket connection, or the server
 * itself (seed, restore). Frames are encoded once by the doc and the same buffer goes to every peer.
 */
export interface DocPeer {
  /** Member behind the edits (change feed); null for a change the server makes on its own. */
  readonly memberId: string | null;
  send(frame: Uint8Array): void;
  /** Count of this peer's updates durable so far, after each acknowledged append. */
  saved(count: number): void;
  /** One of its updates was refused (4400 malformed, 4413 too large): it is closed with that code. */
  refuse(code: number, reason: string): void;
}

/** Transaction origin of updates and awareness that came from another replica (never re-sent). */
export const RELAY_ORIGIN = Symbol('relay');
/** Origin of the awareness removals done when a connection closes. */
export const CLOSED_ORIGIN = Symbol('closed');

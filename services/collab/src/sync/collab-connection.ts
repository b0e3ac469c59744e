import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import { collabCloseCodes, collabMessageTypes, type DocRight } from '@agora/proto';
import type { CollabConfig } from '../common/collab-config.js';
import {
  commentOnlyMessage,
  readOnlyMessage,
  savedUpToMessage,
  syncStep1Message,
  writableMessage,
} from '../common/wire-messages.js';
import { commentRoots } from '../documents/comment-scope.js';
import type { DocPeer } from '../documents/doc-peer.js';
import { MalformedUpdate, type LiveDoc } from '../documents/live-doc.js';
import { RateBucket } from './rate-bucket.js';

const syncStep1 = 0;
const syncStep2 = 1;
const syncUpdate = 2;
/** Rights in order: a change up re-syncs the connection. */
const rank: Record<DocRight, number> = { none: -1, read: 0, comment: 1, write: 2 };
/** A peer that lets this much pile up unread is not reading: dropped. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/**
 * One authorised WebSocket on one doc: the y-websocket protocol, validated by decoding it (no schema
 * parse per message), the connection's rate buckets and message cap, and its right (`read` drops
 * its updates without closing it, `comment` drops those that change anything outside the comments
 * and suggestions maps; the right can change while it is open).
 */
export class CollabConnection implements DocPeer {
  private live: LiveDoc | null = null;
  /** Messages that arrived while the connection was being authorised and its doc loaded. */
  private early: Buffer[] | null = [];
  private readonly messages: RateBucket;
  private readonly bytes: RateBucket;
  /** Answered the last ping. */
  alive = true;
  closed = false;
  /** Holds its doc open (DocRegistry.acquire): released when it closes. */
  acquired = false;

  constructor(
    readonly ws: WebSocket,
    readonly memberId: string,
    /** The sign-in of the token it opened with (`sid`; absent on older tokens): ended, it closes. */
    readonly sessionId: string | undefined,
    readonly docName: string,
    private right: DocRight,
    private readonly config: CollabConfig,
    /** The client asked for collab's own message types (`?caps=agora`): 100–103 go to it. */
    private readonly extended = false,
  ) {
    this.messages = new RateBucket(
      config.COLLAB_RATE_MESSAGES_PER_S,
      config.COLLAB_RATE_MESSAGES_BURST,
    );
    this.bytes = new RateBucket(config.COLLAB_RATE_BYTES_PER_S, config.COLLAB_RATE_BYTES_BURST);
  }

  get currentRight(): DocRight {
    return this.right;
  }

  /** The doc is open: greet (right notice, server's step 1, awareness) and play early messages. */
  start(live: LiveDoc): void {
    this.live = live;
    this.noticeRight();
    this.send(syncStep1Message(live.stateVector()));
    const states = live.awarenessStates();
    if (states) this.send(states);
    const early = this.early ?? [];
    this.early = null;
    for (const data of early) if (!this.closed) this.handle(data);
  }

  /**
   * A rights re-check answered: `read` and `comment` tell the client once; a raised right (read →
   * comment or write, comment → write) lets its updates in again on this connection and, where
   * the client was told 100 or 102, tells it so (103 when it may write again); then the server's
   * sync step 1 again, which any y-websocket client answers with everything the doc lacks — what
   * it kept while its updates were dropped, and what later edits of its build on.
   */
  changeRight(right: Exclude<DocRight, 'none'>): void {
    if (right === this.right) return;
    const raised = rank[right] > rank[this.right];
    this.right = right;
    if (right === 'write') {
      if (this.extended) this.send(writableMessage);
    } else this.noticeRight();
    if (raised && this.live) this.send(syncStep1Message(this.live.stateVector()));
  }

  /** Raw WebSocket message: caps and rate first, then the protocol. */
  receive(data: Buffer): void {
    if (this.closed) return;
    if (data.byteLength > this.config.COLLAB_MAX_MESSAGE_BYTES) {
      this.close(collabCloseCodes.tooLarge, 'message too large');
      return;
    }
    if (!this.messages.take(1) || !this.bytes.take(data.byteLength)) {
      this.close(collabCloseCodes.rateLimited, 'too many messages');
      return;
    }
    if (this.early) this.early.push(data);
    else this.handle(data);
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.closed = true;
      this.ws.terminate();
      return;
    }
    this.ws.send(frame, { binary: true });
  }

  saved(count: number): void {
    if (this.extended) this.send(savedUpToMessage(count));
  }

  refuse(code: number, reason: string): void {
    this.close(code, reason);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
  }

  private noticeRight(): void {
    if (!this.extended) return;
    if (this.right === 'read') this.send(readOnlyMessage);
    else if (this.right === 'comment') this.send(commentOnlyMessage);
  }

  private handle(data: Buffer): void {
    const live = this.live;
    if (!live) return;
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case collabMessageTypes.sync: {
          const step = decoding.readVarUint(decoder);
          const payload = decoding.readVarUint8Array(decoder);
          if (step === syncStep1) live.syncRequest(this, payload);
          else if (step === syncStep2 || step === syncUpdate) {
            // Read-only: dropped, never closed for trying; comment: checked when applied.
            if (this.right === 'write') live.accept(payload, this);
            else if (this.right === 'comment') live.accept(payload, this, commentRoots);
          } else this.close(collabCloseCodes.badRequest, 'unknown sync message');
          break;
        }
        case collabMessageTypes.awareness:
          live.awarenessFrom(this, decoding.readVarUint8Array(decoder));
          break;
        case collabMessageTypes.queryAwareness: {
          const states = live.awarenessStates();
          if (states) this.send(states);
          break;
        }
        default:
          this.close(collabCloseCodes.badRequest, 'unknown message type');
      }
    } catch (err) {
      // Truncated varints and lengths past the end throw in lib0; Yjs throws on garbage.
      this.close(
        collabCloseCodes.badRequest,
        err instanceof MalformedUpdate ? err.message : 'malformed message',
      );
    }
  }
}

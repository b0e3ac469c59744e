import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import {
  collabCapsAgora,
  collabCapsParam,
  collabCloseCodes,
  collabMessageTypes,
  collabPath,
} from '@agora/proto';
import { memberColour } from './member-colour.js';
import { deriveSyncState, PendingChanges, type SyncState } from './pending-changes.js';

/** What the session needs from the member's session: the current token and a way to renew it. */
export interface DocTokenSource {
  readonly accessToken: string | null;
  refresh(): Promise<boolean>;
}

export interface DocUser {
  id: string;
  name: string;
}

/** Someone in the doc, from awareness (one entry per member, however many tabs they have open). */
export interface DocPeer {
  id: string;
  name: string;
  color: string;
  self: boolean;
}

/** Why collab closed the connection for good (until the page does something about it). */
export type DocClosedReason =
  'unauthenticated' | 'forbidden' | 'too-large' | 'rate-limited' | 'bad-request';

export interface DocSessionOptions {
  docName: string;
  user: DocUser;
  tokens: DocTokenSource;
  /** `origin + '/collab'` in the browser; a test server's URL in tests. */
  serverUrl?: string;
  /** Keep the doc in IndexedDB for offline edits (off where there is no IndexedDB). */
  offline?: boolean;
  /** For tests in Node, which has no WebSocket of its own before 22. */
  WebSocketPolyfill?: typeof WebSocket;
  /** How long to wait before reconnecting after a 4429 (the stock client would give up). */
  rateLimitRetryMs?: number;
  /** Changes sent but unacknowledged this long: ask collab for a barrier (a sync step 1). */
  stallMs?: number;
}

type MessageHandler = WebsocketProvider['messageHandlers'][number];

/** How long the local cache may take to load before the socket connects anyway (blocked IndexedDB). */
const offlineLoadWaitMs = 1500;

function defaultServerUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${collabPath}`;
}

function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}

/**
 * One open co-edited document: its `Y.Doc`, the y-websocket connection to collab, the IndexedDB
 * copy that keeps offline edits, awareness (who is here, with their caret colour) and what the
 * editor shows about it: sync state with the number of changes waiting, read-only or comment-only,
 * why it closed.
 *
 * The `Y.Doc` lives as long as the session: reconnecting (a new token, a network blip, a collab
 * restart) reuses it, so nothing typed in between is lost; Yjs sync sends the server what it lacks.
 */
export class DocSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly docName: string;
  readonly user: DocPeer;

  status = $state<SyncState>('offline');
  pending = $state(0);
  /** Collab said (message type 100) this member may read but not write. */
  readOnly = $state(false);
  /**
   * Collab said (message type 102) this member may comment: its changes count only inside the
   * comments and suggestions maps, so the text is not editable but comments are.
   */
  commentOnly = $state(false);
  peers = $state<DocPeer[]>([]);
  closedReason = $state<DocClosedReason | null>(null);
  /** The local copy (IndexedDB) has been loaded, or there is none. */
  loaded = $state(false);

  #tokens: DocTokenSource;
  #persistence: IndexeddbPersistence | null = null;
  #pendingChanges = new PendingChanges();
  #connected = false;
  #synced = false;
  /** A 100 arrived on the current connection. */
  #readOnlyHere = false;
  /** A 102 arrived on the current connection (after any 100: a re-check may change it). */
  #commentOnlyHere = false;
  /**
   * The answer to the server's sync step 1 went out on this connection. Until then local
   * changes are held (that answer carries them): sent twice, the second copy would be a no-op
   * collab neither logs nor counts, and the counts would drift.
   */
  #caughtUp = false;
  #stall: ReturnType<typeof setTimeout> | undefined;
  #stallMs: number;
  /** One token renewal per refusal: a second 4401 right after a renewal means signed out. */
  #renewedSinceSync = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #loadWait: ReturnType<typeof setTimeout> | undefined;
  #rateLimitRetryMs: number;
  #destroyed = false;

  constructor(options: DocSessionOptions) {
    this.docName = options.docName;
    this.#tokens = options.tokens;
    this.#rateLimitRetryMs = options.rateLimitRetryMs ?? 5000;
    this.#stallMs = options.stallMs ?? 1000;
    this.user = {
      id: options.user.id,
      name: options.user.name,
      color: memberColour(options.user.id),
      self: true,
    };
    this.provider = new WebsocketProvider(
      options.serverUrl ?? defaultServerUrl(),
      options.docName,
      this.doc,
      {
        connect: false,
        // caps: collab sends its own message types (100–103) only to clients that read them.
        params: { token: this.#tokens.accessToken ?? '', [collabCapsParam]: collabCapsAgora },
        // Tabs sync through collab, not among themselves: every change this tab sends is counted
        // against collab's acknowledgements, and IndexedDB is shared by the tabs anyway.
        disableBc: true,
        ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      },
    );
    // This session sends local updates itself (see #onUpdate), so it can hold them until caught up.
    this.doc.off('update', this.provider._updateHandler);
    this.#installHandlers();
    this.provider.awareness.setLocalStateField('user', {
      id: this.user.id,
      name: this.user.name,
      color: this.user.color,
    });
    this.provider.awareness.on('change', this.#onAwareness);
    this.provider.on('status', this.#onStatus);
    this.provider.on('connection-close', this.#onConnectionClose);
    this.provider.on('closed', this.#onClosed);
    this.provider.on('sync', this.#onSync);
    this.doc.on('update', this.#onUpdate);
    this.#onAwareness();

    if (options.offline !== false && typeof indexedDB !== 'undefined') {
      // Per member: a shared computer must not show one member's private doc to the next.
      this.#persistence = new IndexeddbPersistence(
        `agora:${this.user.id}:${this.docName}`,
        this.doc,
      );
      // Connect once the local copy is in, so offline edits go out in the first sync answer.
      const start = () => {
        clearTimeout(this.#loadWait);
        this.loaded = true;
        this.#connect();
      };
      this.#loadWait = setTimeout(start, offlineLoadWaitMs);
      this.#persistence.whenSynced.then(start, start);
    } else {
      this.loaded = true;
      this.#connect();
    }
  }

  /** The body of the doc (Tiptap's `XmlFragment('default')`). */
  get body(): Y.XmlFragment {
    return this.doc.getXmlFragment('default');
  }

  #connect(): void {
    if (this.#destroyed || this.provider.shouldConnect) return;
    this.provider.params = { ...this.provider.params, token: this.#tokens.accessToken ?? '' };
    this.provider.connect();
  }

  #installHandlers(): void {
    const handlers = this.provider.messageHandlers;
    // Our own sync handler (same protocol): the answer to the server's sync step 1 is counted
    // as an update message when it carries something, and not sent when it carries nothing, so
    // the messages counted here are exactly those collab counts in its 101 acknowledgements.
    const sync: MessageHandler = (encoder, decoder, provider, emitSynced) => {
      const type = decoding.readVarUint(decoder);
      if (type === syncProtocol.messageYjsSyncStep1) {
        const update = Y.encodeStateAsUpdate(this.doc, decoding.readVarUint8Array(decoder));
        if (isEmptyUpdate(update)) {
          this.#pendingChanges.catchUpNotNeeded();
        } else {
          encoding.writeVarUint(encoder, collabMessageTypes.sync);
          encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
          encoding.writeVarUint8Array(encoder, update);
          this.#pendingChanges.catchUpSent();
          // Right behind it (its own frame: collab reads one message per frame), a barrier: its
          // answer says the catch-up is durable, whether collab logs it or finds it holds all of
          // it already (the delete set always travels whole).
          queueMicrotask(() => this.#probe());
        }
        this.#caughtUp = true;
        this.#refresh();
      } else if (type === syncProtocol.messageYjsSyncStep2) {
        syncProtocol.readSyncStep2(decoder, this.doc, provider);
        // Collab dropped a read-only connection's updates: answers confirm nothing for it.
        if (!this.#readOnlyHere) this.#pendingChanges.probeAnswered();
        if (emitSynced && !provider.synced) provider.synced = true;
        this.#refresh();
      } else if (type === syncProtocol.messageYjsUpdate) {
        syncProtocol.readUpdate(decoder, this.doc, provider);
      }
    };
    handlers[collabMessageTypes.sync] = sync;
    handlers[collabMessageTypes.readOnly] = () => {
      this.#readOnlyHere = true;
      this.#commentOnlyHere = false;
      this.readOnly = true;
      this.commentOnly = false;
    };
    handlers[collabMessageTypes.commentOnly] = () => {
      this.#commentOnlyHere = true;
      this.#readOnlyHere = false;
      this.commentOnly = true;
      this.readOnly = false;
    };
    // The right was raised on this connection (collab's sync step 1 follows, answered above).
    handlers[collabMessageTypes.writable] = () => {
      this.#readOnlyHere = false;
      this.#commentOnlyHere = false;
      this.readOnly = false;
      this.commentOnly = false;
    };
    handlers[collabMessageTypes.savedUpTo] = (_encoder, decoder) => {
      this.#pendingChanges.acknowledged(decoding.readVarUint(decoder));
      this.#refresh();
    };
  }

  /**
   * Sends a local change (any origin but the provider, whose updates came from collab) once the
   * connection has caught up; before that it waits for the catch-up answer, offline for the next
   * connection.
   */
  #onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider) return;
    const ws = this.provider.ws;
    const open = this.provider.wsconnected && ws !== null && ws.readyState === ws.OPEN;
    // The local copy loading is no new change of the member's: before the catch-up it is in the
    // catch-up answer (counted there if collab lacks it), after it it goes out like any change.
    if (this.#persistence && origin === this.#persistence && !(open && this.#caughtUp)) return;
    if (open && this.#caughtUp) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, collabMessageTypes.sync);
      syncProtocol.writeUpdate(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
      this.#pendingChanges.localChange(true);
    } else {
      this.#pendingChanges.localChange(false);
    }
    this.#refresh();
  };

  /**
   * Collab acknowledges only updates it logged: one that turns out to change nothing there (two
   * people deleting the same word) is never counted. When acknowledgements stop while changes
   * are out, send a sync step 1: collab answers it once everything before it is durable. Again
   * after each quiet period, should an answer itself be lost.
   */
  #watchForStall(): void {
    if (this.pending === 0 || !this.#connected || !this.#caughtUp) {
      clearTimeout(this.#stall);
      this.#stall = undefined;
      return;
    }
    this.#stall ??= setTimeout(() => {
      this.#stall = undefined;
      this.#probe();
    }, this.#stallMs);
  }

  #probe(): void {
    const ws = this.provider.ws;
    if (this.#destroyed || !this.#caughtUp || !ws || ws.readyState !== ws.OPEN) return;
    if (this.pending === 0) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, collabMessageTypes.sync);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    ws.send(encoding.toUint8Array(encoder));
    this.#pendingChanges.probeSent();
    this.#refresh();
  }

  #onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
    this.#connected = status === 'connected';
    if (status === 'connected') {
      this.#readOnlyHere = false;
      this.#commentOnlyHere = false;
      // Everyone dropped this client's awareness when its socket closed, and ignores the same
      // state sent again with the same clock: a new clock makes it reappear at once.
      const state = this.provider.awareness.getLocalState();
      if (state) this.provider.awareness.setLocalState({ ...state });
      // The provider sends its opening sync step 1 right after this event: the first answer.
      this.#pendingChanges.probeSent();
    }
    this.#refresh();
  };

  #onSync = (synced: boolean): void => {
    this.#synced = synced;
    if (synced) {
      this.#renewedSinceSync = false;
      this.closedReason = null;
      // Read-only and comment-only are told once per connection, before the sync: none means
      // write again.
      this.readOnly = this.#readOnlyHere;
      this.commentOnly = this.#commentOnlyHere;
    }
    this.#refresh();
  };

  /** Before the provider schedules its next attempt: that attempt takes the current token. */
  #onConnectionClose = (): void => {
    this.#connected = false;
    this.#synced = false;
    this.#caughtUp = false;
    this.#pendingChanges.connectionClosed();
    this.provider.params = { ...this.provider.params, token: this.#tokens.accessToken ?? '' };
    this.#refresh();
  };

  /** A 4400–4499 close: the provider stopped retrying. */
  #onClosed = ({ code }: { code: number; reason: string }): void => {
    if (this.#destroyed) return;
    switch (code) {
      case collabCloseCodes.unauthenticated:
        void this.#renew();
        return;
      case collabCloseCodes.forbidden:
        this.closedReason = 'forbidden';
        // No right on the doc any more: its local copy must not outlive that.
        void this.#persistence?.clearData();
        return;
      case collabCloseCodes.tooLarge:
        this.closedReason = 'too-large';
        return;
      case collabCloseCodes.rateLimited:
        this.closedReason = 'rate-limited';
        clearTimeout(this.#retry);
        this.#retry = setTimeout(() => this.#connect(), this.#rateLimitRetryMs);
        return;
      default:
        this.closedReason = 'bad-request';
    }
  };

  async #renew(): Promise<void> {
    if (this.#renewedSinceSync) {
      this.closedReason = 'unauthenticated';
      return;
    }
    this.#renewedSinceSync = true;
    const renewed = await this.#tokens.refresh().catch(() => false);
    if (this.#destroyed) return;
    if (!renewed || !this.#tokens.accessToken) {
      this.closedReason = 'unauthenticated';
      return;
    }
    this.#connect();
  }

  #onAwareness = (): void => {
    // Plain record, not a Map: it lives only for this computation, nothing reacts to it.
    const byMember: Record<string, DocPeer> = {};
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = (state as { user?: Partial<DocPeer> }).user;
      if (typeof user?.id !== 'string' || typeof user.name !== 'string') continue;
      const self = clientId === this.doc.clientID || user.id === this.user.id;
      if (Object.hasOwn(byMember, user.id) && !self) continue;
      byMember[user.id] = {
        id: user.id,
        name: user.name,
        color: typeof user.color === 'string' ? user.color : memberColour(user.id),
        self,
      };
    }
    // The member first, then the others by name: avatars do not jump around as people come and go.
    this.peers = Object.values(byMember).sort(
      (a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name),
    );
  };

  #refresh(): void {
    this.pending = this.#pendingChanges.pending;
    this.status = deriveSyncState({
      connected: this.#connected,
      synced: this.#synced,
      pending: this.pending,
    });
    this.#watchForStall();
  }

  /** Closes the socket, the local copy and every listener; the session is unusable afterwards. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    clearTimeout(this.#retry);
    clearTimeout(this.#loadWait);
    clearTimeout(this.#stall);
    this.provider.awareness.off('change', this.#onAwareness);
    this.doc.off('update', this.#onUpdate);
    this.provider.off('status', this.#onStatus);
    this.provider.off('connection-close', this.#onConnectionClose);
    this.provider.off('closed', this.#onClosed);
    this.provider.off('sync', this.#onSync);
    this.provider.awareness.setLocalState(null);
    this.provider.destroy();
    this.provider.awareness.destroy();
    void this.#persistence?.destroy();
    this.doc.destroy();
    this.status = 'offline';
  }
}

// The one load generator's client: a WebSocket speaking the y-websocket protocol (sync step 1/2,
// update) to any of the three servers. Hocuspocus frames the same messages with the document's
// name in front and wants an auth message first; ours adds `?token=` and tells each writer how many
// of its updates are durable (message 101). Receivers apply every update to a real Y.Doc.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

export type Dialect = 'y-websocket' | 'hocuspocus';

/** Message types beyond the protocol's 0–3: ours' "durable up to" and Hocuspocus' frames. */
const SAVED_UP_TO = 101;
const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_AUTH_TOKEN = 0;

export interface Endpoint {
  /** `ws://host:port` of one replica (no path). */
  base: string;
  dialect: Dialect;
  /** Query parameters (ours: the member's access token). */
  params?: Record<string, string>;
}

export interface ClientOptions {
  /** Apply received updates to a Y.Doc (false: an idle connection that only syncs once). */
  keepDoc?: boolean;
  clientId?: number;
}

/** Connects, syncs, then applies every update the server relays; `sendUpdate` writes one. */
export class YClient {
  readonly doc: Y.Doc;
  private ws!: WebSocket;
  private syncedResolve!: () => void;
  private syncedReject!: (err: Error) => void;
  readonly synced: Promise<void>;
  /** Called after each relayed update was applied (with the receive time, ms). */
  onUpdate: ((at: number) => void) | null = null;
  /** Called with ours' running count of this connection's durable updates. */
  onSavedUpTo: ((count: number, at: number) => void) | null = null;
  closed: { code: number; reason: string } | null = null;

  constructor(
    private readonly endpoint: Endpoint,
    readonly docName: string,
    private readonly options: ClientOptions = {},
  ) {
    this.doc = new Y.Doc();
    if (options.clientId !== undefined) this.doc.clientID = options.clientId;
    this.synced = new Promise((resolve, reject) => {
      this.syncedResolve = resolve;
      this.syncedReject = reject;
    });
    this.synced.catch(() => undefined);
  }

  get url(): string {
    const query = new URLSearchParams(this.endpoint.params ?? {}).toString();
    return `${this.endpoint.base}/collab/${this.docName}${query ? `?${query}` : ''}`;
  }

  connect(): Promise<void> {
    const ws = new WebSocket(this.url, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    ws.on('open', () => {
      if (this.endpoint.dialect === 'hocuspocus') {
        const auth = this.frame();
        encoding.writeVarUint(auth, HOCUSPOCUS_AUTH);
        encoding.writeVarUint(auth, HOCUSPOCUS_AUTH_TOKEN);
        encoding.writeVarString(auth, this.endpoint.params?.token ?? '');
        ws.send(encoding.toUint8Array(auth));
      }
      const hello = this.frame();
      encoding.writeVarUint(hello, 0);
      syncProtocol.writeSyncStep1(hello, this.doc);
      ws.send(encoding.toUint8Array(hello));
    });
    ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.syncedReject(new Error(`closed ${code} ${reason.toString()} before sync`));
    });
    ws.on('error', (err) => this.syncedReject(err));
    return this.synced;
  }

  /** A message's start: Hocuspocus names the document in every frame. */
  private frame(): encoding.Encoder {
    const e = encoding.createEncoder();
    if (this.endpoint.dialect === 'hocuspocus') encoding.writeVarString(e, this.docName);
    return e;
  }

  private isSynced = false;

  private receive(data: Uint8Array): void {
    // An idle connection syncs once and then holds no growing doc in the load generator.
    if (this.options.keepDoc === false && this.isSynced) return;
    const at = performance.now();
    const d = decoding.createDecoder(data);
    if (this.endpoint.dialect === 'hocuspocus') decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type === SAVED_UP_TO && this.endpoint.dialect === 'y-websocket') {
      this.onSavedUpTo?.(decoding.readVarUint(d), at);
      return;
    }
    // Hocuspocus answers sync step 1 with type 4 (a sync message needing no reply).
    if (type !== 0 && !(type === 4 && this.endpoint.dialect === 'hocuspocus')) return;
    const reply = this.frame();
    encoding.writeVarUint(reply, 0);
    const subtype = syncProtocol.readSyncMessage(d, reply, this.doc, this);
    // Only the sync step 1 the server sends gets an answer (our step 2); updates need none.
    if (subtype === syncProtocol.messageYjsSyncStep1) this.ws.send(encoding.toUint8Array(reply));
    if (subtype === syncProtocol.messageYjsSyncStep2) {
      this.isSynced = true;
      this.syncedResolve();
    }
    if (subtype === syncProtocol.messageYjsUpdate) this.onUpdate?.(at);
  }

  /** Sends one Yjs update as an update message (queued on the socket). */
  sendUpdate(update: Uint8Array): void {
    const e = this.frame();
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, update);
    this.ws.send(encoding.toUint8Array(e));
  }

  /** Bytes the socket has not written yet (for back-pressure). */
  get buffered(): number {
    return this.ws.bufferedAmount;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
      setTimeout(() => this.ws.terminate(), 2_000).unref();
    });
  }
}

/** Resolves once the socket's unwritten bytes fall below `limit` (yields to the event loop). */
export async function drain(client: YClient, limit = 1 << 20): Promise<void> {
  while (client.buffered > limit) await new Promise((r) => setImmediate(r));
}

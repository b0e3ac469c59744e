// Stock y-websocket clients for collab's fault suites, instrumented from the outside only: a
// WebSocket class that logs what each connection sent and the server's 101 ("durable so far")
// counts, and edits whose content names them ([<writer>-<n>]) so a final state can be checked
// token by token. What the suites call acknowledged:
//  - a writer's: the first N non-empty updates sent on a connection, once that connection got
//    101 N (the server takes each connection's updates in order and counts each once it is
//    durable, or once it found nothing new in it);
//  - anything a client received from the server (collab relays an update only once it is durable).
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { collabCapsAgora, collabCapsParam, collabMessageTypes } from '@agora/proto';

const tokenPattern = /\[[a-z0-9]+-\d{5}\]/g;

/** The tokens an update inserts (whole ones: a transaction inserts one token). */
export function tokensOf(update: Uint8Array): string[] {
  const found: string[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) continue;
    for (const m of struct.content.str.matchAll(tokenPattern)) found.push(m[0]);
  }
  return found;
}

/** Every token in a text, in order. */
export function tokensIn(text: string): string[] {
  return [...text.matchAll(tokenPattern)].map((m) => m[0]);
}

/** `[0, 0]`: no structs, no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength <= 2 && update.every((b) => b === 0);
}

interface ConnectionLog {
  /** Tokens of each non-empty update message (sync step 2 or update) sent, in order. */
  sent: string[][];
  /** Highest 101 count received. */
  saved: number;
  readOnlyNotices: number;
}

function readVarUint(data: Uint8Array, pos: number): number {
  const d = decoding.createDecoder(data);
  d.pos = pos;
  return decoding.readVarUint(d);
}

/** A `ws` WebSocket that logs one connection's sent updates and received 101s. */
function loggingWebSocket(logs: ConnectionLog[]): typeof WebSocket {
  return class LoggedWebSocket extends WebSocket {
    private readonly log: ConnectionLog = { sent: [], saved: 0, readOnlyNotices: 0 };

    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      logs.push(this.log);
      // The provider sets binaryType 'arraybuffer', which listeners get too.
      this.on('message', (raw: ArrayBuffer | Buffer) => {
        const data = raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw;
        if (data.byteLength === 0) return;
        const type = readVarUint(data, 0);
        if (type === collabMessageTypes.savedUpTo)
          this.log.saved = Math.max(this.log.saved, readVarUint(data, 1));
        else if (type === collabMessageTypes.readOnly) this.log.readOnlyNotices += 1;
      });
    }

    override send(data: Uint8Array, ...rest: unknown[]): void {
      const d = decoding.createDecoder(data);
      if (decoding.readVarUint(d) === collabMessageTypes.sync) {
        const step = decoding.readVarUint(d);
        if (step === 1 || step === 2) {
          const update = decoding.readVarUint8Array(d);
          // Collab counts every update in 101 but the empty one (the step 2 on connect when the
          // client has nothing new); resent edits count.
          if (!isEmptyUpdate(update)) this.log.sent.push(tokensOf(update));
        }
      }
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  } as unknown as typeof WebSocket;
}

export interface TrackedClient {
  name: string;
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  /** One log per WebSocket this client opened (reconnects add one). */
  connections: ConnectionLog[];
  /** Tokens this client received from the server (durable by collab's rule). */
  seen: Set<string>;
  /** Tokens of this client's acknowledged updates, over all its connections. */
  acked(): Set<string>;
  /** Every token this client wrote. */
  written: string[];
  /** Inserts the next token at a random token boundary; returns it. */
  edit(): string;
  synced(): Promise<void>;
  destroy(): void;
}

/** `name` is lowercase letters and digits: it becomes the tokens' prefix. */
export function trackedClient(
  wsBase: string,
  docName: string,
  token: string,
  name: string,
  random: () => number = Math.random,
): TrackedClient {
  const doc = new Y.Doc();
  const text = doc.getText('body');
  const connections: ConnectionLog[] = [];
  const provider = new WebsocketProvider(`${wsBase}/collab`, docName, doc, {
    params: { token, [collabCapsParam]: collabCapsAgora },
    WebSocketPolyfill: loggingWebSocket(connections) as never,
    disableBc: true,
    connect: false,
  });
  // Collab's own types: a stock client ignores them (the logging socket reads them).
  provider.messageHandlers[collabMessageTypes.readOnly] = () => undefined;
  provider.messageHandlers[collabMessageTypes.savedUpTo] = () => undefined;
  const seen = new Set<string>();
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === provider) for (const t of tokensOf(update)) seen.add(t);
  });
  const written: string[] = [];
  provider.connect();
  return {
    name,
    doc,
    text,
    provider,
    connections,
    seen,
    written,
    acked() {
      const out = new Set<string>();
      for (const c of connections)
        for (const tokens of c.sent.slice(0, c.saved)) for (const t of tokens) out.add(t);
      return out;
    },
    edit() {
      const token = `[${name}-${String(written.length).padStart(5, '0')}]`;
      const current = text.toJSON();
      const boundaries = [0];
      for (let i = current.indexOf(']'); i !== -1; i = current.indexOf(']', i + 1))
        boundaries.push(i + 1);
      text.insert(boundaries[Math.floor(random() * boundaries.length)]!, token);
      written.push(token);
      return token;
    },
    synced() {
      if (provider.synced) return Promise.resolve();
      return new Promise((resolve) => provider.once('sync', () => resolve()));
    },
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Each client edits every `everyMs` until the returned stop() is called. */
export function keepTyping(clients: TrackedClient[], everyMs: number): () => void {
  const timers = clients.map((c) => setInterval(() => c.edit(), everyMs));
  return () => timers.forEach((t) => clearInterval(t));
}

/** Tokens of `expected` missing from `text`, and tokens `text` holds more than once. */
export function auditText(
  text: string,
  expected: Iterable<string>,
): { missing: string[]; duplicated: string[] } {
  const counts = new Map<string, number>();
  for (const t of tokensIn(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const missing = [...expected].filter((t) => !counts.has(t));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([t]) => t);
  return { missing, duplicated };
}

/** A deterministic PRNG (mulberry32) so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

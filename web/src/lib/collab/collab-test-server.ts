import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { collabCloseCodes, collabMessageTypes } from '@agora/proto';

/**
 * A small y-websocket server with collab's wire contract (issue 9), for the web's specs: the
 * token in `?token=`, close codes after the upgrade, 100 for read-only, 101 with the count of
 * the connection's update messages durable so far. "Durable" is immediate unless `holdAcks`.
 */
export interface CollabTestServer {
  url: string;
  docs: Map<string, Y.Doc>;
  /** Tokens accepted at connect; anything else is closed with 4401. */
  validTokens: Set<string>;
  /** Tokens whose connections are told read-only (100) and whose updates are dropped. */
  readOnlyTokens: Set<string>;
  /** Tokens told comment-only (102): their updates that touch more than comments are dropped. */
  commentOnlyTokens: Set<string>;
  /** A close code for every new connection (e.g. 4403, 4429, 4503), or null to accept. */
  refuseWith: number | null;
  /** While true, no 101 is sent (the log has not acknowledged yet). */
  holdAcks: boolean;
  /** Delay of the server's opening sync step 1 (collab authorises and loads the doc first). */
  step1DelayMs: number;
  /** Update messages received, including those that changed nothing (not counted in 101). */
  updatesReceived: number;
  /** Sync step 1 requests received (the opening one of each connection, and probes). */
  step1Received: number;
  /** Tokens seen at each connection attempt, in order. */
  handshakes: string[];
  /** Sends the acknowledgements held back while `holdAcks` was on. */
  releaseAcks(): void;
  /** Closes every open connection with `code` (a restart: 4503; a removal: 4403). */
  dropAll(code: number): void;
  /**
   * As collab when a right is raised while open: the token's connections may write again, are
   * told 103 and get the server's sync step 1 again (no reconnect).
   */
  allowWriting(token: string): void;
  close(): Promise<void>;
}

interface Conn {
  ws: WebSocket;
  docName: string;
  token: string;
  readOnly: boolean;
  commentOnly: boolean;
  received: number;
  acked: number;
}

/** As collab decides for a comment connection: the update changes only comments and suggestions. */
function staysInComments(doc: Y.Doc, update: Uint8Array): boolean {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  let ok = true;
  copy.on('afterTransaction', (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) {
      let t: typeof type = type;
      while (t._item) t = t._item.parent as typeof type;
      const root = [...copy.share].find(([, v]) => v === t)?.[0];
      if (root !== 'comments' && root !== 'suggestions') ok = false;
    }
  });
  Y.applyUpdate(copy, update);
  copy.destroy();
  return ok;
}

function send(ws: WebSocket, encoder: encoding.Encoder): void {
  if (ws.readyState === ws.OPEN) ws.send(encoding.toUint8Array(encoder));
}

export async function startCollabTestServer(): Promise<CollabTestServer> {
  const http: HttpServer = createServer();
  const wss = new WebSocketServer({ server: http });
  const conns = new Set<Conn>();
  const awarenessOf = new Map<string, awarenessProtocol.Awareness>();
  /** Answers to sync step 1 held while acks are held: collab answers once all before is durable. */
  const held: (() => void)[] = [];

  const docOf = (name: string): Y.Doc => {
    let doc = server.docs.get(name);
    if (!doc) {
      doc = new Y.Doc();
      server.docs.set(name, doc);
      const awareness = new awarenessProtocol.Awareness(doc);
      awareness.setLocalState(null);
      awarenessOf.set(name, awareness);
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, collabMessageTypes.sync);
        syncProtocol.writeUpdate(encoder, update);
        for (const c of conns) if (c.docName === name && c !== origin) send(c.ws, encoder);
      });
    }
    return doc;
  };

  const ack = (c: Conn): void => {
    if (server.holdAcks || c.acked === c.received) return;
    c.acked = c.received;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, collabMessageTypes.savedUpTo);
    encoding.writeVarUint(encoder, c.acked);
    send(c.ws, encoder);
  };

  const server: CollabTestServer = {
    url: '',
    docs: new Map(),
    validTokens: new Set(),
    readOnlyTokens: new Set(),
    commentOnlyTokens: new Set(),
    refuseWith: null,
    holdAcks: false,
    step1DelayMs: 0,
    updatesReceived: 0,
    step1Received: 0,
    handshakes: [],
    releaseAcks() {
      server.holdAcks = false;
      for (const c of conns) ack(c);
      for (const answer of held.splice(0)) answer();
    },
    dropAll(code) {
      for (const c of conns) c.ws.close(code, 'test');
    },
    allowWriting(token) {
      server.readOnlyTokens.delete(token);
      server.commentOnlyTokens.delete(token);
      for (const c of conns) {
        if (c.token !== token || (!c.readOnly && !c.commentOnly)) continue;
        c.readOnly = false;
        c.commentOnly = false;
        const told = encoding.createEncoder();
        encoding.writeVarUint(told, collabMessageTypes.writable);
        send(c.ws, told);
        const step1 = encoding.createEncoder();
        encoding.writeVarUint(step1, collabMessageTypes.sync);
        syncProtocol.writeSyncStep1(step1, docOf(c.docName));
        send(c.ws, step1);
      }
    },
    async close() {
      for (const c of conns) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };

  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('token') ?? '';
    server.handshakes.push(token);
    const docName = decodeURIComponent(url.pathname.replace(/^\/collab\//, ''));
    if (server.refuseWith !== null) return ws.close(server.refuseWith, 'refused');
    if (!server.validTokens.has(token)) return ws.close(collabCloseCodes.unauthenticated, 'token');
    const doc = docOf(docName);
    const awareness = awarenessOf.get(docName) as awarenessProtocol.Awareness;
    const conn: Conn = {
      ws,
      docName,
      token,
      readOnly: server.readOnlyTokens.has(token),
      commentOnly: server.commentOnlyTokens.has(token),
      received: 0,
      acked: 0,
    };
    conns.add(conn);
    const clients = new Set<number>();
    if (conn.readOnly) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, collabMessageTypes.readOnly);
      send(ws, encoder);
    }
    if (conn.commentOnly) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, collabMessageTypes.commentOnly);
      send(ws, encoder);
    }
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const type = decoding.readVarUint(decoder);
      if (type === collabMessageTypes.sync) {
        const syncType = decoding.peekVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          server.step1Received += 1;
          const answer = () => {
            const encoder = encoding.createEncoder();
            encoding.writeVarUint(encoder, collabMessageTypes.sync);
            syncProtocol.readSyncMessage(decoder, encoder, doc, conn);
            send(ws, encoder);
          };
          if (server.holdAcks) held.push(answer);
          else answer();
          return;
        }
        server.updatesReceived += 1;
        if (conn.readOnly) return;
        if (conn.commentOnly) {
          const peek = decoding.clone(decoder);
          decoding.readVarUint(peek);
          if (!staysInComments(doc, decoding.readVarUint8Array(peek))) return;
        }
        // As collab: an update that changes nothing is neither logged nor counted.
        let changed = false;
        const mark = () => (changed = true);
        doc.on('update', mark);
        syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, conn);
        doc.off('update', mark);
        if (!changed) return;
        conn.received += 1;
        ack(conn);
      } else if (type === collabMessageTypes.awareness) {
        const update = decoding.readVarUint8Array(decoder);
        const decoded = decoding.createDecoder(update);
        const count = decoding.readVarUint(decoded);
        for (let i = 0; i < count; i++) {
          clients.add(decoding.readVarUint(decoded));
          decoding.readVarUint(decoded);
          decoding.readVarString(decoded);
        }
        awarenessProtocol.applyAwarenessUpdate(awareness, update, conn);
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, collabMessageTypes.awareness);
        encoding.writeVarUint8Array(encoder, update);
        for (const c of conns) if (c.docName === docName && c !== conn) send(c.ws, encoder);
      }
    });
    ws.on('close', () => {
      conns.delete(conn);
      const gone = [...clients];
      if (gone.length === 0) return;
      awarenessProtocol.removeAwarenessStates(awareness, gone, conn);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, collabMessageTypes.awareness);
      encoding.writeVarUint8Array(
        encoder,
        awarenessProtocol.encodeAwarenessUpdate(awareness, gone),
      );
      for (const c of conns) if (c.docName === docName) send(c.ws, encoder);
    });
    // The server opens with its sync step 1, as collab does, and tells who is already here.
    const greet = () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, collabMessageTypes.sync);
      syncProtocol.writeSyncStep1(encoder, doc);
      send(ws, encoder);
      const states = [...awareness.getStates().keys()];
      if (states.length > 0) {
        const aw = encoding.createEncoder();
        encoding.writeVarUint(aw, collabMessageTypes.awareness);
        encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(awareness, states));
        send(ws, aw);
      }
    };
    if (server.step1DelayMs > 0) setTimeout(greet, server.step1DelayMs);
    else greet();
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/collab`;
  return server;
}

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { WebSocket, WebSocketServer } from 'ws';
import {
  AccessTokens,
  AccessView,
  AccessViewUnavailable,
  PLATFORM_LOGGER,
  type AccessClaims,
  type Logger,
  type TokenClaims,
} from '@agora/platform';
import {
  collabCapsAgora,
  collabCapsParam,
  collabCloseCodes,
  collabPath,
  parseDocName,
} from '@agora/proto';
import { DocAccess } from '../access/doc-access.service.js';
import { COLLAB_CONFIG, type CollabConfig } from '../common/collab-config.js';
import { DocRegistry } from '../documents/doc-registry.js';
import { CollabConnection } from './collab-connection.js';
import { ConnectionIndex } from './connection-index.js';

/**
 * ws closes a frame past maxPayload with 1009, which a stock client answers by reconnecting and
 * resending the same frame forever; the contract's 4413 makes it stop. (A subclass, not a closure
 * per socket: an idle connection should cost little.)
 */
class CollabWebSocket extends WebSocket {
  /** The authorised connection on this socket: its handlers are shared, not closures per socket. */
  conn: CollabConnection | null = null;

  override close(code?: number, reason?: string | Buffer): void {
    if (code === 1009) super.close(collabCloseCodes.tooLarge, 'message too large');
    else super.close(code, reason);
  }
}

const ignore = (): void => undefined;

// `this` is the socket (ws calls its listeners so); every socket here is a CollabWebSocket.
function onMessage(this: WebSocket, data: Buffer): void {
  (this as CollabWebSocket).conn?.receive(data);
}

function onPong(this: WebSocket): void {
  const { conn } = this as CollabWebSocket;
  if (conn) conn.alive = true;
}

/**
 * A copy of `text` that holds nothing else: a string cut from the upgrade's URL is a slice that
 * keeps the whole URL (its token included) alive for as long as the cut lives.
 */
function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/**
 * `/collab/<docName>?token=…` on the service's HTTP port. Every upgrade is accepted; a refusal is a
 * close with the contract's 4xxx code and a reason (an HTTP refusal makes the stock client retry
 * forever). Once authorised, a connection stays open past its token's expiry: rights are revoked by
 * events (see AccessWatcher), not by clocks.
 */
@Injectable()
export class CollabSocketServer implements BeforeApplicationShutdown {
  readonly connections = new ConnectionIndex<CollabConnection>();
  private readonly wss: WebSocketServer;
  private readonly logger: Logger;
  private pingTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    @Inject(COLLAB_CONFIG) private readonly config: CollabConfig,
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(DocAccess) private readonly access: DocAccess,
    @Inject(AccessView) private readonly accounts: AccessView,
    @Inject(DocRegistry) private readonly docs: DocRegistry,
    @Inject(PLATFORM_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'sockets' });
    this.wss = new WebSocketServer({
      noServer: true,
      // Frames up to 4× the cap are read and refused with 4413; ws stops reading larger ones at
      // their header (memory stays bounded) and closes them, with 4413 too (see onSocket).
      maxPayload: config.COLLAB_MAX_MESSAGE_BYTES * 4,
      perMessageDeflate: false,
      clientTracking: false,
      WebSocket: CollabWebSocket,
    });
  }

  /** Serves upgrades under /collab on the HTTP server (the one /healthz answers on). */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (path !== collabPath && !path.startsWith(`${collabPath}/`)) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, req));
    });
    this.pingTimer = setInterval(() => this.ping(), this.config.COLLAB_PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  /** On SIGTERM: no new connections, pending batches flushed, then every socket closed with 4503. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.pingTimer);
    const budget = Math.max(100, this.config.SHUTDOWN_TIMEOUT_MS - 1_000);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.docs.loaded().map((d) => d.whenDurable())),
      new Promise((r) => (timer = setTimeout(r, budget))),
    ]);
    clearTimeout(timer);
    for (const c of this.connections.list())
      c.close(collabCloseCodes.shuttingDown, 'server shutting down');
    this.wss.close();
  }

  /**
   * Reads what the upgrade's request says, at once: the request (headers, URL, token) is not kept
   * alive across the awaits of `authorise` — in a storm of connections, whatever a connection
   * holds while it waits is promoted to the old generation and fragments it.
   */
  private onSocket(ws: WebSocket, req: IncomingMessage): void {
    ws.on('error', ignore);
    // The client speaks first (its sync step 1) while we authorise: keep what it says.
    const early: Buffer[] = [];
    const keep = (data: Buffer): void => void early.push(data);
    ws.on('message', keep);

    if (this.closing) return ws.close(collabCloseCodes.shuttingDown, 'server shutting down');
    const url = new URL(req.url ?? '/', 'http://collab.invalid');
    let docName: string;
    try {
      // Kept by the connection, its doc and the indexes for as long as it is open.
      docName = ownCopy(decodeURIComponent(url.pathname.slice(collabPath.length + 1)));
      parseDocName(docName);
    } catch {
      return ws.close(collabCloseCodes.badRequest, 'bad doc name');
    }
    const token = url.searchParams.get('token');
    if (!token) return ws.close(collabCloseCodes.unauthenticated, 'no token');
    // Collab's own message types (100–103) only for clients that said they read them.
    const extended = url.searchParams.get(collabCapsParam) === collabCapsAgora;
    void this.authorise(ws, docName, token, extended, early, keep);
  }

  private async authorise(
    ws: WebSocket,
    docName: string,
    token: string,
    extended: boolean,
    early: Buffer[],
    keep: (data: Buffer) => void,
  ): Promise<void> {
    const refuse = (code: number, reason: string): void => ws.close(code, reason);
    let verified: AccessClaims;
    try {
      verified = await this.tokens.verify(token);
    } catch {
      return refuse(collabCloseCodes.unauthenticated, 'bad or expired token');
    }
    const memberId = verified.sub;
    // A suspended or deleted member's token, or one of a session that ended (signed out, revoked),
    // is valid for up to 15 minutes more: refused here, as the gateway refuses it (its refresh is
    // refused at identity). No role: collab's rights come from spaces, not from the token's claim.
    const claims: TokenClaims = { sub: memberId, sid: verified.sid };
    try {
      const refusal = await this.accounts.check(claims);
      if (refusal) return refuse(collabCloseCodes.unauthenticated, refusal);
    } catch (err) {
      if (!(err instanceof AccessViewUnavailable)) throw err;
      return refuse(collabCloseCodes.shuttingDown, 'account states not loaded yet; retry');
    }
    let right;
    try {
      right = await this.access.rightOf(memberId, docName);
    } catch (err) {
      this.logger.warn({ err, doc: docName }, 'rights check failed');
      return refuse(collabCloseCodes.shuttingDown, 'rights could not be checked; retry');
    }
    if (right === 'none') return refuse(collabCloseCodes.forbidden, 'no right on this doc');
    if (ws.readyState !== ws.OPEN) return;
    // Suspended or signed out while spaces answered: the watcher closed the member's indexed
    // connections, not this one yet (from here on, in this same turn, it is indexed and a later
    // event reaches it).
    const lateRefusal = this.accounts.checkNow(claims);
    if (lateRefusal) return refuse(collabCloseCodes.unauthenticated, lateRefusal);
    if (this.connections.countOfMember(memberId) >= this.config.COLLAB_MAX_CONNECTIONS_PER_MEMBER)
      return refuse(collabCloseCodes.rateLimited, 'too many connections of this member');
    if (this.connections.countOfDoc(docName) >= this.config.COLLAB_MAX_CONNECTIONS_PER_DOC)
      return refuse(collabCloseCodes.rateLimited, 'too many connections to this doc');

    const conn = new CollabConnection(
      ws,
      memberId,
      verified.sid,
      docName,
      right,
      this.config,
      extended,
    );
    this.connections.add(conn);
    ws.off('message', keep);
    this.listen(ws as CollabWebSocket, conn);
    for (const data of early) conn.receive(data);

    let live;
    try {
      live = await this.docs.acquire(docName);
    } catch {
      conn.close(collabCloseCodes.shuttingDown, 'doc could not be loaded; retry');
      return;
    }
    if (conn.closed) {
      // Closed while loading: the close handler ran before the hold existed.
      this.docs.release(docName);
      return;
    }
    conn.acquired = true;
    live.addPeer(conn);
    conn.start(live);
  }

  /**
   * The socket's handlers for as long as it is open: the same functions for every socket, finding
   * the connection on it (nothing of the upgrade's scope, its request, token and early frames).
   */
  private listen(ws: CollabWebSocket, conn: CollabConnection): void {
    ws.conn = conn;
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    ws.on('close', this.onClose);
  }

  /** One close handler for every socket (`this` is the socket; the server is bound once). */
  private readonly onClose = ((server: CollabSocketServer) =>
    function (this: WebSocket): void {
      const { conn } = this as CollabWebSocket;
      if (conn) server.dropConnection(conn);
    })(this);

  private dropConnection(conn: CollabConnection): void {
    conn.closed = true;
    this.connections.remove(conn);
    if (!conn.acquired) return;
    this.docs.peek(conn.docName)?.removePeer(conn);
    this.docs.release(conn.docName);
  }

  private ping(): void {
    for (const c of this.connections.list()) {
      if (!c.alive) {
        c.closed = true;
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}

// The Market Place suites' hub: the REAL spaces, collab (one replica in process) and gateway over a
// real nats-server and the embedded store; members are ids with access tokens signed by the test
// key (identity is not needed to prove sessions). Helpers for REST, sockets in the session's room
// and y-websocket clients on its board.
import { randomBytes } from 'node:crypto';
import {
  AccessTokenSigner,
  bootstrapService,
  createLogger,
  type RunningService,
} from '@agora/platform';
import {
  freePort,
  startNatsServer,
  testAccessKeys,
  type NatsServerHandle,
} from '@agora/platform/testing';
import { attachCollabSockets, CollabModule, collabEnvSchema } from '@agora/collab';
import { SpacesModule, spacesEnvSchema } from '@agora/spaces';
import {
  collabMessageTypes,
  errorResponseSchema,
  socketPath,
  type ClientToServerEvents,
  type Role,
  type ServerToClientEvents,
} from '@agora/proto';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { expect } from 'vitest';
import { startTestStore, type TestStore } from '../support/store.js';
import { freshIp, startTestGateway, type TestGateway } from './gateway-fixture.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Member {
  id: string;
  token: string;
}

export interface BoardClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** How many times collab said read-only (100) / comment-only (102). */
  told: { readOnly: number; commentOnly: number };
}

export interface MarketPlaceHub {
  gw: TestGateway;
  member(role?: Role): Promise<Member>;
  api(path: string, call?: { method?: string; token?: string; json?: unknown }): Promise<Response>;
  /** Expects `status` and answers the parsed body. */
  json<T = unknown>(res: Response, status: number): Promise<T>;
  refused(res: Response, status: number, code: string): Promise<void>;
  /** A socket of the member, joined to the session's room. */
  roomSocket(who: Member, spaceId: string): Promise<Client>;
  board(who: Member, docName: string): Promise<BoardClient>;
  stop(): Promise<void>;
}

export async function startMarketPlaceHub(name: string): Promise<MarketPlaceHub> {
  const keys = testAccessKeys();
  const nats: NatsServerHandle = await startNatsServer();
  const store: TestStore = await startTestStore({ name });
  const common = {
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    LOG_LEVEL: 'silent',
  };
  const spacesConfig = spacesEnvSchema.parse({ ...common, HEALTH_PORT: '0' });
  const spaces: RunningService = await bootstrapService({
    service: 'spaces',
    module: SpacesModule.forRoot({ config: spacesConfig }),
    config: spacesConfig,
    logger: createLogger('spaces', 'silent'),
    handleSignals: false,
  });
  const collabPort = await freePort();
  const collabConfig = collabEnvSchema.parse({
    ...common,
    HEALTH_PORT: String(collabPort),
    COLLAB_REPLICA_ID: 'mp1',
    // the change feed spaces judges cards from: quick, so the suite does not wait 5 s per card
    COLLAB_FEED_QUIET_MS: '150',
    COLLAB_FEED_MAX_WAIT_MS: '1000',
  });
  const collab: RunningService = await bootstrapService({
    service: 'collab',
    module: CollabModule.forRoot({
      config: collabConfig,
      logger: createLogger('collab', 'silent'),
    }),
    config: collabConfig,
    logger: createLogger('collab', 'silent'),
    handleSignals: false,
    configure: attachCollabSockets,
  });
  await Promise.all([spaces.rpcReady, collab.rpcReady]);
  const gw = await startTestGateway({
    NATS_URL: nats.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    RATE_LIMIT_MEMBER_BURST: '1000',
    RATE_LIMIT_IP_BURST: '5000',
  });
  const signer = new AccessTokenSigner(keys.signingKey);
  const sockets: Client[] = [];
  const providers: WebsocketProvider[] = [];

  const hub: MarketPlaceHub = {
    gw,
    async member(role: Role = 'member') {
      const id = randomBytes(12).toString('hex');
      return { id, token: (await signer.sign({ sub: id, role })).token };
    },
    api(path, call = {}) {
      const headers = new Headers({ 'x-forwarded-for': freshIp(), 'user-agent': 'mp-test' });
      if (call.token) headers.set('authorization', `Bearer ${call.token}`);
      let body: string | undefined;
      if (call.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(call.json);
      }
      return fetch(`${gw.base}/api${path}`, { method: call.method ?? 'GET', headers, body });
    },
    async json<T>(res: Response, status: number): Promise<T> {
      const text = await res.text();
      expect(res.status, text).toBe(status);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async refused(res, status, code) {
      const body = errorResponseSchema.parse(await hub.json(res, status));
      expect(body.error.code).toBe(code);
    },
    async roomSocket(who, spaceId) {
      const s: Client = io(gw.base, {
        path: socketPath,
        auth: { token: who.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { 'X-Forwarded-For': freshIp() },
      });
      sockets.push(s);
      await new Promise((resolve, reject) => {
        s.once('ready', resolve);
        s.once('connect_error', reject);
      });
      const ack = await new Promise<{ ok: boolean }>((resolve) =>
        s.emit('space.join', { spaceId }, resolve),
      );
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      return s;
    },
    async board(who, docName) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(`ws://127.0.0.1:${collabPort}/collab`, docName, doc, {
        // caps=agora: collab's own message types (100–103), which the fixture counts.
        params: { token: who.token, caps: 'agora' },
        WebSocketPolyfill: WebSocket as never,
        disableBc: true,
        connect: false,
      });
      const told = { readOnly: 0, commentOnly: 0 };
      // A stock client ignores types it does not know; the suite listens for collab's own.
      provider.messageHandlers[collabMessageTypes.readOnly] = () => (told.readOnly += 1);
      provider.messageHandlers[collabMessageTypes.commentOnly] = () => (told.commentOnly += 1);
      provider.connect();
      providers.push(provider);
      await new Promise<void>((resolve) => {
        if (provider.synced) resolve();
        else provider.once('sync', () => resolve());
      });
      return { doc, provider, told };
    },
    async stop() {
      for (const p of providers) p.destroy();
      for (const s of sockets) s.disconnect();
      await gw.stop();
      await collab.shutdown();
      await spaces.shutdown();
      await store.stop();
      await nats.stop();
    },
  };
  return hub;
}

/** Polls `check` until it passes or `timeoutMs` runs out (then throws its last error). */
export async function until<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Writes a card into the board's `cards` map as the web does (`board-shape.ts`). */
export function writeCard(
  doc: Y.Doc,
  card: { pitchIndex: number; area: string; authorId: string; text: string },
): string {
  const id = randomBytes(16).toString('hex');
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    doc.getMap<Y.Map<unknown>>('cards').set(id, m);
    m.set('id', id);
    m.set('pitchIndex', card.pitchIndex);
    m.set('area', card.area);
    m.set('authorId', card.authorId);
    m.set('text', card.text);
    m.set('createdAt', new Date().toISOString());
  });
  return id;
}

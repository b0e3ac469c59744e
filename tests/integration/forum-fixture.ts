// One hub for a forum-*/notifications-* suite: the REAL identity, spaces, chat and gateway in
// process over a real nats-server and the embedded store, plus a test bus client that publishes
// source events as their services would and reads the streams. Each suite starts its own.
import { randomBytes, randomUUID } from 'node:crypto';
import { bootstrapService, createLogger, NatsService, type RunningService } from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { ChatModule, chatEnvSchema } from '@agora/chat';
import { IdentityModule, identityEnvSchema } from '@agora/identity';
import { SpacesModule, spacesEnvSchema } from '@agora/spaces';
import {
  authResponseSchema,
  errorResponseSchema,
  socketPath,
  type AuthResponse,
  type ClientToServerEvents,
  type Envelope,
  type EventData,
  type EventDef,
  type ServerToClientEvents,
} from '@agora/proto';
import { io, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import { startTestStore, type TestStore } from '../support/store.js';
import { freshIp, startTestGateway, type TestGateway } from './gateway-fixture.js';

export const password = 'olive-press-by-the-harbour-27';
export type Account = AuthResponse & { email: string };
export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ForumHub {
  gw: TestGateway;
  bus: NatsService;
  adminEmail: string;
  api(path: string, call?: { method?: string; token?: string; json?: unknown }): Promise<Response>;
  json<T = unknown>(res: Response, status: number): Promise<T>;
  refused(res: Response, status: number, code: string): Promise<void>;
  register(extra?: Record<string, unknown>, email?: string): Promise<Account>;
  connect(token: string): Promise<Client>;
  /** Publishes a domain event into its stream as its service would (`id` for a redelivery). */
  publish<D extends EventDef>(
    def: D,
    subject: string,
    data: EventData<D>,
    opts?: { actor?: string | null; id?: string },
  ): Promise<string>;
  /** Every envelope in `stream` so far whose type starts with `prefix`. */
  streamEvents(stream: string, prefix: string): Promise<Envelope[]>;
  stop(): Promise<void>;
}

export async function startForumHub(chatEnv: Record<string, string> = {}): Promise<ForumHub> {
  const keys = testAccessKeys();
  const adminEmail = `admin-${randomBytes(3).toString('hex')}@forum.test`;
  const nats: NatsServerHandle = await startNatsServer();
  const store: TestStore = await startTestStore({ name: 'forum' });
  const common = {
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
  };
  const started: RunningService[] = [];
  const boot = async (
    service: string,
    module: Parameters<typeof bootstrapService>[0]['module'],
    config: Parameters<typeof bootstrapService>[0]['config'],
  ) => {
    const running = await bootstrapService({
      service,
      module,
      config,
      logger: createLogger(service, process.env.FORUM_TEST_LOG === '1' ? 'warn' : 'silent'),
      handleSignals: false,
    });
    started.push(running);
    return running;
  };
  const identityConfig = identityEnvSchema.parse({
    ...common,
    AUTH_SIGNING_KEY: keys.signingKey,
    ADMIN_EMAIL: adminEmail,
  });
  const spacesConfig = spacesEnvSchema.parse(common);
  const chatConfig = chatEnvSchema.parse({ ...common, ...chatEnv });
  const services = await Promise.all([
    boot('identity', IdentityModule.forRoot({ config: identityConfig }), identityConfig),
    boot('spaces', SpacesModule.forRoot({ config: spacesConfig }), spacesConfig),
    boot('chat', ChatModule.forRoot({ config: chatConfig }), chatConfig),
  ]);
  await Promise.all(services.map((s) => s.rpcReady));
  const gw = await startTestGateway({ NATS_URL: nats.url, AUTH_PUBLIC_KEY: keys.publicKey });
  const bus = new NatsService({
    url: nats.url,
    name: 'forum-test-bus',
    logger: createLogger('test', 'silent'),
  });
  bus.start();
  await bus.ready(10_000);
  const sockets: Client[] = [];

  const api: ForumHub['api'] = (path, call = {}) => {
    const headers = new Headers({ 'x-forwarded-for': freshIp(), 'user-agent': 'forum-test' });
    if (call.token) headers.set('authorization', `Bearer ${call.token}`);
    let body: string | undefined;
    if (call.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(call.json);
    }
    return fetch(`${gw.base}/api${path}`, { method: call.method ?? 'GET', headers, body });
  };
  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    gw,
    bus,
    adminEmail,
    api,
    json,
    async refused(res, status, code) {
      const body = errorResponseSchema.parse(await json(res, status));
      expect(body.error.code).toBe(code);
    },
    async register(extra = {}, email = `m-${randomBytes(4).toString('hex')}@forum.test`) {
      const res = await api('/auth/register', {
        method: 'POST',
        json: {
          email,
          password,
          displayName: 'Forum Tester',
          country: 'TN',
          preferredLanguage: 'fr',
          ...extra,
        },
      });
      return { ...authResponseSchema.parse(await json(res, 201)), email };
    },
    async connect(token) {
      const s: Client = io(gw.base, {
        path: socketPath,
        auth: { token },
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
      return s;
    },
    async publish(def, subject, data, opts = {}) {
      const id = randomUUID();
      const envelope = {
        id: opts.id ?? id,
        type: def.type,
        occurredAt: new Date().toISOString(),
        actor: opts.actor ?? null,
        subject,
        data,
        v: def.v,
      };
      // A fresh Nats-Msg-Id even for a repeated envelope id: JetStream would drop a same-id
      // publish, and a consumer's redelivery is exactly this envelope arriving again.
      await bus.js.publish(def.subject, JSON.stringify(envelope), { msgID: id });
      return envelope.id;
    },
    async streamEvents(stream, prefix) {
      const info = await bus.jsm.streams.info(stream);
      const out: Envelope[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const msg = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
        if (!msg) continue;
        const env = msg.json<Envelope>();
        if (env.type.startsWith(prefix)) out.push(env);
      }
      return out;
    },
    async stop() {
      for (const s of sockets) s.disconnect();
      await gw.stop();
      await bus.drain();
      for (const s of started.reverse()) await s.shutdown();
      await store.stop();
      await nats.stop();
    },
  };
}

// Runs collab replicas against one real nats-server (JetStream, temp dir) and one embedded store,
// with a stand-in for spaces' `doc.access` answering from a table the test controls, tokens
// signed with a fresh test key, and helpers to publish the spaces/identity events collab follows.
// Replicas run in process (fast, inspectable) or as child processes of `dist/main.js` (so a
// fault suite can kill -9 one); both kinds can sit side by side on the same bus and store.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  AccessTokenSigner,
  bootstrapService,
  buildEnvelope,
  createLogger,
  NatsService,
  type RunningService,
} from '@agora/platform';
import {
  freePort,
  startNatsServer,
  testAccessKeys,
  type NatsServerHandle,
  type TestAccessKeys,
} from '@agora/platform/testing';
import {
  attachCollabSockets,
  CollabModule,
  collabEnvSchema,
  type CollabConfig,
} from '@agora/collab';
import { spacesRpc, type DocRight, type EventData, type EventDef } from '@agora/proto';
import { natsCredentialsFor, renderNatsServerConfig } from '@agora/launcher';
import { startTestStore, type TestStore } from '../support/store.js';

export interface CollabReplica {
  id: string;
  /** `ws://127.0.0.1:<port>`: what a WebsocketProvider takes before `/collab`. */
  wsBase: string;
  port: number;
  /** In-process replicas only: the running app (inspect providers with `service.app.get`). */
  service?: RunningService;
  /** Child-process replicas only. */
  child?: ChildProcess;
  config: CollabConfig;
  /** Graceful stop (SIGTERM for a child). */
  stop(): Promise<void>;
  /** SIGKILL (child) — an in-process replica cannot be killed, only stopped. */
  kill(): Promise<void>;
}

export interface CollabHub {
  nats: NatsServerHandle;
  store: TestStore;
  keys: TestAccessKeys;
  /** The test's own bus connection (spaces stand-in, event publisher). */
  bus: NatsService;
  replicas: CollabReplica[];
  /** The stand-in's answers: `<memberId> <docName>` → right (missing = none, like an unknown doc). */
  rights: Map<string, DocRight>;
  setRight(memberId: string, docName: string, right: DocRight): void;
  /** How many `doc.access` calls the stand-in answered. */
  accessCalls(): number;
  /**
   * A member's access token; `ttlSeconds` short for tokens that expire while connected, `expired`
   * for one already past, `sessionId` the sign-in it belongs to (its `sid` claim).
   */
  tokenFor(
    memberId: string,
    options?: { ttlSeconds?: number; expired?: boolean; sessionId?: string },
  ): Promise<string>;
  /** Publishes an event as its owner would (envelope built like the platform does), core NATS. */
  publish<D extends EventDef>(def: D, data: EventData<D>): Promise<void>;
  startReplica(options?: {
    id?: string;
    process?: boolean;
    env?: Record<string, string>;
  }): Promise<CollabReplica>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
/** The built service's entry (`npm run build -w @agora/collab`). */
const collabMain = join(dirname(require.resolve('@agora/collab')), 'main.js');

export async function startCollabHub(
  name: string,
  options: {
    replicas?: number;
    env?: Record<string, string>;
    /**
     * The bus as `npm start` configures it: a user per service with permissions derived from
     * proto. Replicas connect as `collab`; the stand-in and the test's publisher as `spaces`.
     */
    securedBus?: boolean;
  } = {},
): Promise<CollabHub> {
  const users = options.securedBus ? natsCredentialsFor(['collab', 'spaces']) : [];
  const login = (user: string) => {
    const found = users.find((u) => u.user === user);
    return found ? { user, pass: found.password } : undefined;
  };
  const nats = await startNatsServer(
    options.securedBus
      ? {
          config: ({ port, storeDir }) => renderNatsServerConfig({ port, storeDir, users }),
          credentials: login('collab')!,
        }
      : {},
  );
  const store = await startTestStore({ name });
  const keys = testAccessKeys();
  const logger = createLogger('collab-test', 'silent');
  const spacesLogin = login('spaces');
  const bus = new NatsService({
    url: nats.url,
    // Secured: the stand-in is spaces itself (serves doc.access, publishes spaces' events).
    name: spacesLogin ? 'spaces' : `${name}-test-client`,
    logger,
    provisions: {},
    ...(spacesLogin ?? {}),
  });
  bus.start();
  const nc = await bus.ready(10_000);
  const rights = new Map<string, DocRight>();
  let calls = 0;
  const encoder = new TextEncoder();
  nc.subscribe(spacesRpc.docAccess.subject, {
    queue: 'spaces',
    callback: (_err, msg) => {
      calls += 1;
      const { id, data } = msg.json<{ id: string; data: { memberId: string; docName: string } }>();
      const right = rights.get(`${data.memberId} ${data.docName}`) ?? 'none';
      msg.respond(encoder.encode(JSON.stringify({ id, response: { right, role: null } })));
    },
  });
  await nc.flush();
  const signer = new AccessTokenSigner(keys.signingKey);
  const replicas: CollabReplica[] = [];
  let counter = 0;

  const hub: CollabHub = {
    nats,
    store,
    keys,
    bus,
    replicas,
    rights,
    setRight(memberId, docName, right) {
      rights.set(`${memberId} ${docName}`, right);
    },
    accessCalls: () => calls,
    async tokenFor(memberId, opts = {}) {
      const s = opts.ttlSeconds ? new AccessTokenSigner(keys.signingKey, opts.ttlSeconds) : signer;
      const now = opts.expired ? new Date(Date.now() - 3_600_000) : new Date();
      const claims = { sub: memberId, role: 'member' as const };
      return (await s.sign(opts.sessionId ? { ...claims, sid: opts.sessionId } : claims, now))
        .token;
    },
    async publish(def, data) {
      const envelope = buildEnvelope(def, { actor: null, subject: 'test', data });
      nc.publish(def.subject, JSON.stringify(envelope));
      await nc.flush();
    },
    async startReplica(opts = {}) {
      counter += 1;
      const id = opts.id ?? `r${counter}`;
      const port = await freePort();
      const env = {
        NATS_URL: nats.url,
        MONGO_URL: store.url,
        AUTH_PUBLIC_KEY: keys.publicKey,
        HEALTH_PORT: String(port),
        LOG_LEVEL: 'silent',
        COLLAB_REPLICA_ID: id,
        SHUTDOWN_TIMEOUT_MS: '5000',
        ...(login('collab') ? { NATS_USER: 'collab', NATS_PASSWORD: login('collab')!.pass } : {}),
        ...options.env,
        ...opts.env,
      };
      const config = collabEnvSchema.parse(env);
      const replica = opts.process
        ? await childReplica(id, port, config, env)
        : await inProcessReplica(id, port, config);
      replicas.push(replica);
      return replica;
    },
    async stop() {
      for (const r of replicas.splice(0)) await r.stop().catch(() => undefined);
      await bus.drain();
      await store.stop();
      await nats.stop();
    },
  };
  for (let i = 0; i < (options.replicas ?? 1); i += 1) await hub.startReplica();
  return hub;
}

async function inProcessReplica(
  id: string,
  port: number,
  config: CollabConfig,
): Promise<CollabReplica> {
  const logger = createLogger('collab', config.LOG_LEVEL);
  const service = await bootstrapService({
    service: 'collab',
    module: CollabModule.forRoot({ config, logger }),
    config,
    logger,
    handleSignals: false,
    configure: attachCollabSockets,
  });
  await service.rpcReady;
  await waitReady(port);
  return {
    id,
    port,
    wsBase: `ws://127.0.0.1:${port}`,
    service,
    config,
    stop: () => service.shutdown(),
    kill: () => service.shutdown(),
  };
}

async function childReplica(
  id: string,
  port: number,
  config: CollabConfig,
  env: Record<string, string>,
): Promise<CollabReplica> {
  const child = spawn(process.execPath, [collabMain], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([
    waitReady(port),
    exited.then(() => {
      throw new Error(`collab replica ${id} exited before it was ready`);
    }),
  ]);
  const signal = async (s: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(s);
    await exited;
  };
  return {
    id,
    port,
    wsBase: `ws://127.0.0.1:${port}`,
    child,
    config,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

/** Ready = NATS connected and the streams provisioned (/readyz 200). */
async function waitReady(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`collab on ${port} not ready within 20 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
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

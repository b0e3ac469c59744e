// Runs the real spaces service in process against a real nats-server, the embedded store and the
// collab stand-in, and hands specs an RPC client, member tokens and spaces' own database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessTokenSigner,
  bootstrapService,
  createLogger,
  NatsService,
  RpcClient,
  type RunningService,
} from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import type { Role } from '@agora/proto';
import { startStore, type RunningStore } from '@agora/store';
import { MongoClient, type Db } from 'mongodb';
import { SpacesModule } from '../app.module.js';
import { spacesEnvSchema, type SpacesConfig } from '../common/spaces-config.js';
import { newId } from '../common/object-id.js';
import { CollabStandIn } from './collab-stand-in.js';
import { MovingClock } from './moving-clock.js';

export interface SpacesHarness {
  nats: NatsServerHandle;
  store: RunningStore;
  service: RunningService;
  config: SpacesConfig;
  clock: MovingClock;
  collab: CollabStandIn;
  bus: NatsService;
  rpc: RpcClient;
  /** Spaces' own database, read directly for checks the RPCs cannot show. */
  db: Db;
  /** An access token for a member id with a platform role, as identity would sign it. */
  tokenFor(memberId: string, role?: Role): Promise<string>;
  /** A fresh member id with its token. */
  member(role?: Role): Promise<{ id: string; token: string }>;
  /** Graceful shutdown, then a fresh service on the same NATS and store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSpacesHarness(env: Record<string, string> = {}): Promise<SpacesHarness> {
  const nats = await startNatsServer();
  const dbpath = await mkdtemp(join(tmpdir(), 'agora-spaces-spec-'));
  const store = await startStore({ port: 0, dbpath, logger: () => undefined });
  const keys = testAccessKeys();
  const config = spacesEnvSchema.parse({
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    CALL_CLOSE_INTERVAL_MS: '200',
    ...env,
  });
  const logger = createLogger('spaces', config.LOG_LEVEL);
  const clock = new MovingClock();
  const boot = async (): Promise<RunningService> => {
    const running = await bootstrapService({
      service: 'spaces',
      module: SpacesModule.forRoot({ config, logger, clock }),
      config,
      logger,
      handleSignals: false,
    });
    await running.rpcReady;
    return running;
  };
  const collab = await CollabStandIn.start(nats.url);
  const service = await boot();
  const bus = new NatsService({ url: nats.url, name: 'spaces-spec-client', logger });
  bus.start();
  await bus.ready(10_000);
  const rpc = new RpcClient(bus, 15_000);
  const client = new MongoClient(store.url, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const signer = new AccessTokenSigner(keys.signingKey);
  const tokenFor = async (memberId: string, role: Role = 'member') =>
    (await signer.sign({ sub: memberId, role })).token;
  const harness: SpacesHarness = {
    nats,
    store,
    service,
    config,
    clock,
    collab,
    bus,
    rpc,
    db: client.db('agora_spaces'),
    tokenFor,
    async member(role: Role = 'member') {
      const id = newId();
      return { id, token: await tokenFor(id, role) };
    },
    async restart() {
      await harness.service.shutdown();
      harness.service = await boot();
    },
    async stop() {
      await harness.service.shutdown();
      await bus.drain();
      await collab.stop();
      await client.close();
      await store.close();
      await nats.stop();
      await rm(dbpath, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Polls `check` until it passes or `timeoutMs` runs out (then throws its last error). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

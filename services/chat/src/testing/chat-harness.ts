// Runs the real chat service in process against a real nats-server and the embedded store, with
// AGORA_SPACES provisioned as spaces would (its membership events are published by the spec).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessTokenSigner,
  bootstrapService,
  createLogger,
  NatsService,
  RpcCallError,
  RpcClient,
  type RunningService,
} from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import {
  streams,
  type EventData,
  type EventDef,
  type MemberRpcDef,
  type Role,
  type RpcRequest,
  type RpcResponse,
} from '@agora/proto';
import { startStore, type RunningStore } from '@agora/store';
import { MongoClient, type Db } from 'mongodb';
import { ChatModule } from '../app.module.js';
import { chatEnvSchema, type ChatConfig } from '../common/chat-config.js';
import { newId } from '../common/object-id.js';
import { MovingClock } from './moving-clock.js';

export interface TestMember {
  id: string;
  token: string;
}

export interface ChatHarness {
  nats: NatsServerHandle;
  store: RunningStore;
  service: RunningService;
  config: ChatConfig;
  clock: MovingClock;
  bus: NatsService;
  rpc: RpcClient;
  /** Chat's own database, read directly for checks the RPCs cannot show. */
  db: Db;
  member(role?: Role): Promise<TestMember>;
  call<D extends MemberRpcDef>(
    who: TestMember,
    def: D,
    req: RpcRequest<D>,
  ): Promise<RpcResponse<D>>;
  /** Publishes another service's event into its stream (AGORA_SPACES, AGORA_IDENTITY) as it would. */
  spacesEvent<D extends EventDef>(def: D, subject: string, data: EventData<D>): Promise<void>;
  /** Graceful shutdown, then a fresh service on the same NATS and store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startChatHarness(env: Record<string, string> = {}): Promise<ChatHarness> {
  const nats = await startNatsServer();
  const dbpath = await mkdtemp(join(tmpdir(), 'agora-chat-spec-'));
  const store = await startStore({ port: 0, dbpath, logger: () => undefined });
  const keys = testAccessKeys();
  const config = chatEnvSchema.parse({
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const logger = createLogger('chat', config.LOG_LEVEL);
  const clock = new MovingClock();
  const bus = new NatsService({ url: nats.url, name: 'chat-spec-client', logger });
  bus.start();
  await bus.ready(10_000);
  // The streams of the services whose events chat consumes, as they would provision them.
  for (const def of [streams.spaces, streams.identity])
    await bus.jsm.streams.add({
      name: def.name,
      subjects: [...def.subjects],
      duplicate_window: def.duplicateWindowMs * 1_000_000,
    });
  const boot = async (): Promise<RunningService> => {
    const running = await bootstrapService({
      service: 'chat',
      module: ChatModule.forRoot({ config, logger, clock }),
      config,
      logger,
      handleSignals: false,
    });
    await running.rpcReady;
    return running;
  };
  const service = await boot();
  const rpc = new RpcClient(bus, 15_000);
  const client = new MongoClient(store.url, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const signer = new AccessTokenSigner(keys.signingKey);
  const harness: ChatHarness = {
    nats,
    store,
    service,
    config,
    clock,
    bus,
    rpc,
    db: client.db('agora_chat'),
    async member(role: Role = 'member') {
      const id = newId();
      return { id, token: (await signer.sign({ sub: id, role })).token };
    },
    call(who, def, req) {
      return rpc.call<MemberRpcDef>(def, req, { actorToken: who.token }) as never;
    },
    async spacesEvent(def, subject, data) {
      const id = randomUUID();
      const envelope = {
        id,
        type: def.type,
        occurredAt: new Date().toISOString(),
        actor: null,
        subject,
        data,
        v: def.v,
      };
      await bus.js.publish(def.subject, JSON.stringify(envelope), { msgID: id });
    },
    async restart() {
      await harness.service.shutdown();
      harness.service = await boot();
    },
    async stop() {
      await harness.service.shutdown();
      await bus.drain();
      await client.close();
      await store.close();
      await nats.stop();
      await rm(dbpath, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The error body a call was refused with (throws if it was not refused). */
export async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof RpcCallError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err.body;
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

// Runs the real points service in process against a real nats-server and the embedded store, with
// the source streams provisioned, and hands specs a publisher of source events, member tokens and
// points' own database.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessTokenSigner,
  bootstrapService,
  buildEnvelope,
  createLogger,
  ensureStream,
  NatsService,
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
import { PointsModule } from '../app.module.js';
import { pointsEnvSchema, type PointsConfig } from '../common/points-config.js';

export interface TestMember {
  id: string;
  token: string;
}

export interface SourceEvent<D extends EventDef = EventDef> {
  def: D;
  data: EventData<D>;
  /** The envelope id: the same id published twice is one event replayed. */
  id?: string;
  occurredAt?: Date;
}

export interface PointsHarness {
  nats: NatsServerHandle;
  /** The embedded store in this process; null when the harness was given a store's URL. */
  store: RunningStore | null;
  service: RunningService;
  config: PointsConfig;
  bus: NatsService;
  rpc: RpcClient;
  db: Db;
  member(role?: Role): Promise<TestMember>;
  /** A token for a known member id. */
  as(memberId: string, role?: Role): Promise<TestMember>;
  /** Calls a member RPC of points as `who`. */
  call<D extends MemberRpcDef>(
    who: TestMember,
    def: D,
    req: RpcRequest<D>,
  ): Promise<RpcResponse<D>>;
  /**
   * Publishes a source event into its stream. Each publish has its own `Nats-Msg-Id`, so
   * publishing one envelope id twice is a replay JetStream stores twice.
   */
  publish<D extends EventDef>(e: SourceEvent<D>): Promise<string>;
  /** Waits until every points consumer has acked everything in its stream. */
  drained(timeoutMs?: number): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function newMemberId(): string {
  return randomBytes(12).toString('hex');
}

const durables: Array<[string, string]> = [
  [streams.identity.name, 'points-identity'],
  [streams.spaces.name, 'points-spaces'],
  [streams.chat.name, 'points-chat'],
];

export interface PointsHarnessOptions {
  /**
   * A store already running elsewhere (a benchmark's store in its own process, as the hub runs
   * it); by default the embedded store starts in this process.
   */
  mongoUrl?: string;
}

export async function startPointsHarness(
  env: Record<string, string> = {},
  options: PointsHarnessOptions = {},
): Promise<PointsHarness> {
  const nats = await startNatsServer();
  // The embedded store's directory, only when it runs here.
  const dbpath = options.mongoUrl ? null : await mkdtemp(join(tmpdir(), 'agora-points-spec-'));
  const store = dbpath ? await startStore({ port: 0, dbpath, logger: () => undefined }) : null;
  const mongoUrl = options.mongoUrl ?? store?.url ?? '';
  const keys = testAccessKeys();
  const config = pointsEnvSchema.parse({
    NATS_URL: nats.url,
    MONGO_URL: mongoUrl,
    AUTH_PUBLIC_KEY: keys.publicKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    POINTS_REPAIR_INTERVAL_MS: '500',
    POINTS_RULES_TTL_MS: '0',
    ...env,
  });
  const logger = createLogger('points', config.LOG_LEVEL);
  const bus = new NatsService({ url: nats.url, name: 'points-spec-client', logger });
  bus.start();
  await bus.ready(10_000);
  for (const s of [streams.identity, streams.spaces, streams.chat]) await ensureStream(bus.jsm, s);
  const boot = async (): Promise<RunningService> => {
    const running = await bootstrapService({
      service: 'points',
      module: PointsModule.forRoot({ config, logger }),
      config,
      logger,
      handleSignals: false,
    });
    await running.rpcReady;
    return running;
  };
  const service = await boot();
  const rpc = new RpcClient(bus, 60_000);
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const signer = new AccessTokenSigner(keys.signingKey);
  const harness: PointsHarness = {
    nats,
    store,
    service,
    config,
    bus,
    rpc,
    db: client.db('agora_points'),
    async member(role: Role = 'member') {
      return harness.as(newMemberId(), role);
    },
    async as(id: string, role: Role = 'member') {
      return { id, token: (await signer.sign({ sub: id, role })).token };
    },
    call(who, def, req) {
      return rpc.call<MemberRpcDef>(def, req, { actorToken: who.token }) as never;
    },
    async publish(e) {
      const envelope = buildEnvelope(e.def, {
        ...(e.id ? { id: e.id } : {}),
        actor: null,
        subject: 'spec',
        data: e.data,
        occurredAt: (e.occurredAt ?? new Date()).toISOString(),
      });
      await bus.js.publish(e.def.subject, JSON.stringify(envelope), { msgID: randomUUID() });
      return envelope.id;
    },
    async drained(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let pending = 0;
        for (const [stream, durable] of durables) {
          const info = await bus.jsm.consumers.info(stream, durable).catch(() => null);
          if (!info) {
            const s = await bus.jsm.streams.info(stream);
            pending += s.state.messages;
            continue;
          }
          pending += info.num_pending + info.num_ack_pending;
        }
        if (pending === 0) return;
        if (Date.now() > deadline) throw new Error(`${pending} events still pending`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async restart() {
      await harness.service.shutdown();
      harness.service = await boot();
    },
    async stop() {
      await harness.service.shutdown();
      await bus.drain();
      await client.close();
      await store?.close();
      await nats.stop();
      if (dbpath) await rm(dbpath, { recursive: true, force: true });
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

// Runs the real identity service in process against a real nats-server and the embedded store
// (or MONGO_URL), and gives the identity-*.test.ts suites an RPC client, raw bus access and the
// service's own database for checks the RPCs cannot show.
import { randomBytes, randomUUID } from 'node:crypto';
import { headers } from '@nats-io/transport-node';
import {
  AccessTokenSigner,
  bootstrapService,
  createLogger,
  ensureBucket,
  NatsService,
  RpcClient,
  type RunningService,
} from '@agora/platform';
import {
  startNatsServer,
  testAccessKeys,
  type NatsServerHandle,
  type TestAccessKeys,
} from '@agora/platform/testing';
import { IdentityModule, identityEnvSchema, type IdentityConfig } from '@agora/identity';
import {
  ACTOR_TOKEN_HEADER,
  buckets,
  envelopeSchema,
  streams,
  type Envelope,
  type ErrorBody,
  type Role,
} from '@agora/proto';
import { MongoClient, type Db } from 'mongodb';
import { startTestStore, type TestStore } from '../support/store.js';

export interface IdentityFixture {
  nats: NatsServerHandle;
  store: TestStore;
  /** The running identity service (replaced by `restart`). */
  service: RunningService;
  config: IdentityConfig;
  /** Graceful shutdown of the service, then a fresh one on the same NATS and store. */
  restart(): Promise<void>;
  bus: NatsService;
  rpc: RpcClient;
  /** Identity's own database (`agora_identity`), read directly for checks. */
  db: Db;
  /** The access-token key pair the service was given (its AUTH_SIGNING_KEY and AUTH_PUBLIC_KEY). */
  keys: TestAccessKeys;
  /** An access token for a member id, signed with the service's own key (as a login would give). */
  tokenFor(memberId: string, role?: Role): Promise<string>;
  stop(): Promise<void>;
}

export async function startIdentity(
  name: string,
  env: Record<string, string> = {},
): Promise<IdentityFixture> {
  const nats = await startNatsServer();
  const store = await startTestStore({ name });
  const keys = testAccessKeys();
  const config = identityEnvSchema.parse({
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    AUTH_SIGNING_KEY: keys.signingKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://agora.test',
    ...env,
  });
  const logger = createLogger('identity', config.LOG_LEVEL);
  const boot = async (): Promise<RunningService> => {
    const running = await bootstrapService({
      service: 'identity',
      module: IdentityModule.forRoot({ config, logger }),
      config,
      logger,
      handleSignals: false,
    });
    await running.rpcReady;
    return running;
  };
  const service = await boot();
  const bus = new NatsService({ url: nats.url, name: `${name}-test-client`, logger });
  bus.start();
  await bus.ready(10_000);
  // The suites put uploads where the gateway would; the gateway owns (provisions) that bucket.
  await ensureBucket(bus.js, buckets.uploads);
  const rpc = new RpcClient(bus, 10_000);
  const client = new MongoClient(store.url, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db('agora_identity');
  const signer = new AccessTokenSigner(keys.signingKey);
  const fixture: IdentityFixture = {
    nats,
    store,
    service,
    config,
    bus,
    rpc,
    db,
    keys,
    async tokenFor(memberId, role = 'member') {
      return (await signer.sign({ sub: memberId, role })).token;
    },
    async restart() {
      await fixture.service.shutdown();
      fixture.service = await boot();
    },
    async stop() {
      await fixture.service.shutdown();
      await bus.drain();
      await client.close();
      await store.stop();
      await nats.stop();
    },
  };
  return fixture;
}

/**
 * Sends a request in Nest's wire format WITHOUT the client-side contract check, as a buggy or
 * hostile caller would (with `actorToken` in the actor header when given), and returns the raw reply.
 */
export async function rawCall(
  bus: NatsService,
  subject: string,
  data: unknown,
  actorToken?: string,
): Promise<{ err?: ErrorBody; response?: unknown }> {
  const h = headers();
  if (actorToken !== undefined) h.set(ACTOR_TOKEN_HEADER, actorToken);
  const reply = await bus.nc.request(
    subject,
    JSON.stringify({ pattern: subject, data, id: randomUUID() }),
    { timeout: 10_000, headers: h },
  );
  return JSON.parse(new TextDecoder().decode(reply.data)) as {
    err?: ErrorBody;
    response?: unknown;
  };
}

/** Every envelope in the AGORA_IDENTITY stream, in order. */
export async function identityStream(bus: NatsService): Promise<Envelope[]> {
  const info = await bus.jsm.streams.info(streams.identity.name);
  const out: Envelope[] = [];
  for (
    let seq = info.state.first_seq;
    seq <= info.state.last_seq && info.state.messages > 0;
    seq += 1
  ) {
    const msg = await bus.jsm.streams.getMessage(streams.identity.name, { seq }).catch(() => null);
    if (msg) out.push(envelopeSchema.parse(msg.json()));
  }
  return out;
}

/** Polls `check` until it passes or `timeoutMs` runs out (then throws its last error). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export const client = { ip: '203.0.113.10', userAgent: 'identity-integration-test' };
export const PASSWORD = 'violet harbour lantern at dusk';

let n = 0;
export function newMember(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    email: `person${n}.${randomBytes(3).toString('hex')}@example.org`,
    password: PASSWORD,
    displayName: `Person ${n}`,
    country: 'GR',
    preferredLanguage: 'el' as const,
    client,
    ...overrides,
  };
}

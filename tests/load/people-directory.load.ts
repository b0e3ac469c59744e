// Benchmark: identity's member directory (people.search) at 10 000 members, end to end over NATS
// (RpcClient → the real identity service in process → the embedded store, or MONGO_URL). Members
// are written straight into identity's collection without directory keys, so the start-up
// backfill is measured too. Prints p50/p99 per query and the documents the store examined for it;
// asserts nothing about speed.
import { loadavg } from 'node:os';
import {
  AccessTokenSigner,
  bootstrapService,
  createLogger,
  NatsService,
  RpcClient,
} from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { peopleRpc, type RpcRequest } from '@agora/proto';
import { IdentityModule, identityEnvSchema } from '@agora/identity';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../support/store.js';

const MEMBERS = Number(process.env.PEOPLE_BENCH_MEMBERS ?? 10_000);
const RUNS = Number(process.env.PEOPLE_BENCH_RUNS ?? 50);
const countries = ['TN', 'JO', 'PS', 'GR', 'ES', 'PT', 'FR', 'IT'];
const sectors = [
  'public-administration',
  'private-enterprise',
  'academia-research',
  'civil-society',
];
const areas = ['creativity', 'communication-marketing', 'funding', 'technology'];
const languages = ['ar', 'fr', 'en', 'es', 'pt', 'el', 'it'];
const given = (
  'Leila Amira Nikos Maria Joao Ana Karim Omar Sofia Elena Yannis Fatima Youssef Ines Pedro ' +
  'Lucia Hassan Rania Dimitra Carlos Samira Tariq Noor Giorgos Marta Hugo Salma Khaled Eleni Rui ' +
  'Νίκος Μαρία Ελένη Γιώργος ليلى أميرة كريم عمر فاطمة يوسف'
).split(' ');
const family = (
  'Haddad Papadakis Silva Garcia Ben Ali Mansour Costa Ferreira Georgiou Alaoui Khalil Martins ' +
  'Lopez Nasser Santos Dimitriou Rossi Bouzid Saleh Pereira Ioannou Haddadi Trabelsi Moreno ' +
  'Παπαδάκης Γεωργίου Ιωάννου الحداد منصور خليل ناصر'
).split(' ');

function pick<T>(list: readonly T[], i: number, salt: number): T {
  // a 32-bit mix of (i, salt), so the fields are independent of each other
  let x = (Math.imul(i, 374761393) + Math.imul(salt, 668265263)) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 1274126177) >>> 0;
  return list[((x ^ (x >>> 16)) >>> 0) % list.length]!;
}
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

describe('identity: member directory at 10k members', () => {
  let nats: NatsServerHandle;
  let store: TestStore;
  let service: Awaited<ReturnType<typeof bootstrapService>> | undefined;
  let bus: NatsService;
  let rpc: RpcClient;
  let mongo: MongoClient;
  let db: Db;
  let token = '';
  let backfillMs = 0;
  const keys = testAccessKeys();

  beforeAll(async () => {
    nats = await startNatsServer();
    store = await startTestStore({ name: 'people_bench' });
    mongo = new MongoClient(store.url, { serverSelectionTimeoutMS: 10_000 });
    await mongo.connect();
    db = mongo.db('agora_identity');
    const now = Date.now();
    const docs = Array.from({ length: MEMBERS }, (_, i) => ({
      _id: new ObjectId(),
      email: `member${i}@bench.example`,
      passwordHash: '',
      displayName: `${pick(given, i, 1)} ${pick(family, i, 2)}`,
      bio: '',
      organisation: '',
      sector: i % 5 === 0 ? null : pick(sectors, i, 3),
      country: pick(countries, i, 4),
      languages: [pick(languages, i, 5), pick(languages, i, 6)].filter(
        (l, k, a) => a.indexOf(l) === k,
      ),
      expertise: i % 3 === 0 ? [pick(areas, i, 7)] : [],
      preferredLanguage: 'en',
      timeZone: 'UTC',
      avatarUrl: null,
      coverUrl: null,
      role: i === 0 ? 'admin' : 'member',
      status: i % 50 === 49 ? 'deleted' : 'active',
      invitedBy: null,
      invitationId: null,
      profileCompletedAt: null,
      createdAt: new Date(now - i * 60_000),
      updatedAt: new Date(now),
      deletedAt: null,
      rev: 0,
      outbox: [],
      // a quarter keep their languages and expertise to themselves
      ...(i % 4 === 0 ? { publicFields: ['bio', 'sector', 'cover'] } : {}),
    }));
    for (let k = 0; k < docs.length; k += 1000)
      await db.collection('members').insertMany(docs.slice(k, k + 1000));
    const config = identityEnvSchema.parse({
      NATS_URL: nats.url,
      MONGO_URL: store.url,
      AUTH_PUBLIC_KEY: keys.publicKey,
      AUTH_SIGNING_KEY: keys.signingKey,
      HEALTH_PORT: '0',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'http://agora.bench',
    });
    const logger = createLogger('identity', 'silent');
    const t0 = performance.now();
    service = await bootstrapService({
      service: 'identity',
      module: IdentityModule.forRoot({ config, logger }),
      config,
      logger,
      handleSignals: false,
    });
    await service.rpcReady;
    backfillMs = performance.now() - t0; // start-up including the directory backfill
    bus = new NatsService({ url: nats.url, name: 'people-bench', logger });
    bus.start();
    await bus.ready(10_000);
    rpc = new RpcClient(bus, 30_000);
    const reader = docs[1]!._id.toHexString();
    token = (await new AccessTokenSigner(keys.signingKey).sign({ sub: reader, role: 'member' }))
      .token;
  });

  afterAll(async () => {
    await service?.shutdown();
    await bus?.drain();
    await mongo?.close();
    await store?.stop();
    await nats?.stop();
  });

  it('searches by name words and filters through the directory index', async () => {
    type Filter = RpcRequest<typeof peopleRpc.peopleSearch>['filter'];
    const queries: { name: string; filter: Filter; offset?: number }[] = [
      { name: 'everyone, page 1', filter: {} },
      { name: 'everyone, page 100', filter: {}, offset: 99 * 24 },
      { name: 'q=l (one letter)', filter: { q: 'l' } },
      { name: 'q=haddad', filter: { q: 'haddad' } },
      { name: 'q=leila had', filter: { q: 'leila had' } },
      { name: 'q=νικ (Greek)', filter: { q: 'νικ' } },
      { name: 'q=احمد/الحد (Arabic)', filter: { q: 'الحد' } },
      { name: 'expertise=funding', filter: { expertise: 'funding' } },
      { name: 'country=TN language=ar', filter: { country: 'TN', language: 'ar' } },
      { name: 'q=a sector=civil-society', filter: { q: 'a', sector: 'civil-society' } },
    ];
    const rows: Record<string, unknown>[] = [];
    for (const q of queries) {
      const times: number[] = [];
      let total = 0;
      for (let r = 0; r < RUNS; r += 1) {
        const t = performance.now();
        const page = await rpc.call(
          peopleRpc.peopleSearch,
          { filter: q.filter, page: { offset: q.offset ?? 0, limit: 24 } },
          { actorToken: token },
        );
        times.push(performance.now() - t);
        total = page.total;
      }
      times.sort((a, b) => a - b);
      rows.push({
        query: q.name,
        total,
        p50: +percentile(times, 50).toFixed(2),
        p99: +percentile(times, 99).toFixed(2),
      });
    }
    const keysOf = await db
      .collection('members')
      .findOne({ status: 'active' }, { projection: { directory: 1 } });
    console.log(
      `people.search over NATS, ${MEMBERS} members (${RUNS} runs each, ms; load ${loadavg()[0]!.toFixed(1)}; ` +
        `start-up with backfill ${backfillMs.toFixed(0)} ms; ${String((keysOf?.directory as unknown[] | undefined)?.length)} keys on a sample member)`,
    );
    console.table(rows);
    expect(rows.find((r) => r.query === 'everyone, page 1')?.total).toBe(
      MEMBERS - Math.floor(MEMBERS / 50),
    );
  });
});

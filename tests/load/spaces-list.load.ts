// Benchmark: spaces' proposal and call lists and title search at 10 000 proposals, end to end over
// NATS (RpcClient → the real spaces service in process → the embedded store, or MONGO_URL).
// Prints p50/p99 per query and the documents the store examined for it; asserts nothing about speed.
import { loadavg } from 'node:os';
import {
  AccessTokenSigner,
  bootstrapService,
  createLogger,
  NatsService,
  RpcClient,
} from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { spacesRpc, type RpcRequest } from '@agora/proto';
import { SpacesModule, spacesEnvSchema } from '@agora/spaces';
import { titlePrefixes } from '@agora/spaces/testing';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../support/store.js';

const PROPOSALS = Number(process.env.SPACES_BENCH_PROPOSALS ?? 10_000);
const CALLS = 20;
const RUNS = Number(process.env.SPACES_BENCH_RUNS ?? 200);
const countries = ['TN', 'JO', 'PS', 'GR', 'ES', 'PT'];
const statuses = ['draft', 'submitted', 'in-review', 'funded', 'not-funded', 'withdrawn'];
// 120 words: titles of 3–6 of them, so a word matches ~2–5 % of proposals and a pair far fewer.
const words = (
  'solidarity kitchen cooperative women refugees youth garden urban rural water energy solar ' +
  'repair cafe textile recycling seeds farmers market craft heritage tourism coastal fishing ' +
  'olive harvest bakery mobility bicycle housing commons library school digital skills ' +
  'mentoring care elderly health clinic theatre music festival radio media literacy mapping ' +
  'data open platform network hub lab makers wood ceramics pottery weaving dyeing salt honey ' +
  'bees forest desert oasis island harbour port river valley mountain village neighbourhood ' +
  'district council municipality academia university research civil society enterprise social ' +
  'economy circular inclusion disability access sign language migrants dialogue peace memory ' +
  'archive story voices economie solidaire κοινωνική κουζίνα οικονομία αλληλεγγύη مطبخ تضامني ' +
  'تعاونية نساء شباب حديقة'
).split(' ');

function title(i: number): string {
  const n = 3 + (i % 4);
  const out: string[] = [];
  let x = (i * 2654435761) >>> 0;
  for (let k = 0; k < n; k += 1) {
    out.push(words[x % words.length]!);
    x = (x * 1103515245 + 12345) >>> 0;
  }
  return out.join(' ');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Row {
  query: string;
  total: number;
  examined: number | string;
  p50: number;
  p99: number;
}

describe('spaces: list and search at 10k proposals', () => {
  let nats: NatsServerHandle;
  let store: TestStore;
  let service: Awaited<ReturnType<typeof bootstrapService>>;
  let bus: NatsService;
  let rpc: RpcClient;
  let mongo: MongoClient;
  let db: Db;
  const keys = testAccessKeys();
  const signer = new AccessTokenSigner(keys.signingKey);
  const ids = {
    owner: new ObjectId(),
    lead: new ObjectId(),
    member: new ObjectId(),
    admin: new ObjectId(),
    reviewer: new ObjectId(),
  };
  const tokens: Record<keyof typeof ids, string> = {
    owner: '',
    lead: '',
    member: '',
    admin: '',
    reviewer: '',
  };
  const callIds: ObjectId[] = [];
  const rows: Row[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    store = await startTestStore({ name: 'spaces_bench' });
    const config = spacesEnvSchema.parse({
      NATS_URL: nats.url,
      MONGO_URL: store.url,
      AUTH_PUBLIC_KEY: keys.publicKey,
      HEALTH_PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger('spaces', 'silent');
    service = await bootstrapService({
      service: 'spaces',
      module: SpacesModule.forRoot({ config, logger }),
      config,
      logger,
      handleSignals: false,
    });
    await service.rpcReady;
    bus = new NatsService({ url: nats.url, name: 'spaces-bench', logger });
    bus.start();
    await bus.ready(10_000);
    rpc = new RpcClient(bus, 30_000);
    for (const k of Object.keys(ids) as (keyof typeof ids)[])
      tokens[k] = (
        await signer.sign({ sub: ids[k].toHexString(), role: k === 'admin' ? 'admin' : 'member' })
      ).token;

    mongo = new MongoClient(store.url, { serverSelectionTimeoutMS: 10_000 });
    await mongo.connect();
    db = mongo.db('agora_spaces');
    // Written straight into spaces' collections in the shape its repositories write (the service
    // has created its indexes at start): 10k proposals through the RPC would measure the seeder.
    const now = Date.now();
    const calls = Array.from({ length: CALLS }, (_, c) => {
      const _id = new ObjectId();
      callIds.push(_id);
      return {
        _id,
        kind: 'call',
        title: `Call ${c}`,
        visibility: 'public',
        parentId: null,
        createdBy: ids.owner,
        createdAt: new Date(now - c * 86_400_000),
        updatedAt: new Date(now),
        rev: 0,
        membersLockedUntil: null,
        description: '',
        deadline: new Date(now + (c % 2 === 0 ? 30 : -30) * 86_400_000),
        timeZone: 'UTC',
        totalBudget: 29_000_000,
        maxPerProject: 2_900_000,
        currency: 'EUR',
        eligibleCountries: [],
        criteria: [],
        sections: [{ key: 'summary', heading: 'Summary' }],
        stage: 'published',
        publishedAt: new Date(now - 40 * 86_400_000),
        closedAt: null,
        outbox: [],
      };
    });
    await db.collection('spaces').insertMany(calls);
    const memberships: Record<string, unknown>[] = [
      {
        spaceId: callIds[0],
        kind: 'call',
        memberId: ids.owner,
        role: 'owner',
        addedBy: null,
        addedAt: new Date(now),
        active: true,
        outbox: [],
      },
    ];
    const batch: Record<string, unknown>[] = [];
    for (let i = 0; i < PROPOSALS; i += 1) {
      const _id = new ObjectId();
      const t = title(i);
      // independent of the call (i % 20) and the country (i % 6)
      const status = statuses[Math.floor(i / 7) % statuses.length]!;
      if (i % 200 === 0)
        memberships.push({
          spaceId: _id,
          kind: 'proposal',
          memberId: ids.lead,
          role: 'lead',
          addedBy: null,
          addedAt: new Date(now),
          active: true,
          outbox: [],
        });
      batch.push({
        _id,
        kind: 'proposal',
        title: t,
        visibility: 'private',
        parentId: callIds[i % CALLS],
        createdBy: new ObjectId(),
        createdAt: new Date(now - i * 60_000),
        updatedAt: new Date(now),
        rev: 0,
        membersLockedUntil: null,
        sections: [{ key: 'summary', heading: 'Summary' }],
        status,
        openToMembers: i % 10 === 0,
        country: countries[i % countries.length],
        docName: `proposal:${_id.toHexString()}`,
        seeded: true,
        submissions: [],
        reviewers: i % 250 === 0 && status === 'in-review' ? [ids.reviewer] : [],
        decision: null,
        titlePrefixes: titlePrefixes(t),
        outbox: [],
      });
      if (batch.length === 1_000) await db.collection('spaces').insertMany(batch.splice(0));
    }
    if (batch.length > 0) await db.collection('spaces').insertMany(batch);
    await db.collection('memberships').insertMany(memberships);
  });

  afterAll(async () => {
    console.table(rows);
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; ${PROPOSALS} proposals, ${RUNS} runs per query`,
    );
    await service?.shutdown();
    await bus?.drain();
    await mongo?.close();
    await store?.stop();
    await nats?.stop();
  });

  async function measure(
    query: string,
    who: keyof typeof ids,
    def: typeof spacesRpc.proposalList | typeof spacesRpc.callList,
    req: RpcRequest<typeof spacesRpc.proposalList> | RpcRequest<typeof spacesRpc.callList>,
    /** What the store is asked (several: a member's union of branches, whose examined add up). */
    filter: Record<string, unknown> | Record<string, unknown>[] | null,
  ) {
    const once = () =>
      rpc.call<typeof spacesRpc.proposalList>(
        def as typeof spacesRpc.proposalList,
        req as RpcRequest<typeof spacesRpc.proposalList>,
        { actorToken: tokens[who] },
      );
    const first = await once();
    for (let i = 0; i < 10; i += 1) await once();
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t0 = performance.now();
      await once();
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    let examined: number | string = '–';
    if (filter) {
      examined = 0;
      for (const f of Array.isArray(filter) ? filter : [filter]) {
        const plan = await db.collection('spaces').find(f).explain('executionStats');
        examined += (plan.executionStats as { totalDocsExamined: number }).totalDocsExamined;
      }
    }
    rows.push({
      query,
      total: first.total,
      examined,
      p50: +percentile(ms, 50).toFixed(2),
      p99: +percentile(ms, 99).toFixed(2),
    });
    expect(first.items.length).toBeLessThanOrEqual(20);
  }

  it('lists and searches proposals', async () => {
    const page = { limit: 20, offset: 0 };
    const p = { kind: 'proposal' };
    await measure(
      'call owner: one call',
      'owner',
      spacesRpc.proposalList,
      { ...page, callId: callIds[0]!.toHexString() },
      { ...p, parentId: callIds[0] },
    );
    await measure(
      'call owner: one call + status',
      'owner',
      spacesRpc.proposalList,
      { ...page, callId: callIds[0]!.toHexString(), status: 'submitted' },
      { ...p, parentId: callIds[0], status: 'submitted' },
    );
    await measure(
      'admin: status',
      'admin',
      spacesRpc.proposalList,
      { ...page, status: 'in-review' },
      { ...p, status: 'in-review' },
    );
    await measure(
      'admin: country + status',
      'admin',
      spacesRpc.proposalList,
      { ...page, country: 'JO', status: 'funded' },
      { ...p, country: 'JO', status: 'funded' },
    );
    await measure('admin: everything', 'admin', spacesRpc.proposalList, page, p);
    await measure('member: mine', 'lead', spacesRpc.proposalList, { ...page, mine: true }, null);
    await measure(
      'reviewer: queue',
      'reviewer',
      spacesRpc.proposalList,
      { ...page, reviewing: true },
      { ...p, reviewers: ids.reviewer },
    );
    // a member without teams: the branches they may see, one indexed query each
    const visible = [{ openToMembers: true }, { reviewers: ids.member }];
    await measure(
      'member: browse (no filter)',
      'member',
      spacesRpc.proposalList,
      page,
      visible.map((b) => ({ ...p, ...b })),
    );
    await measure(
      'member: search 1 word ("kitch")',
      'member',
      spacesRpc.proposalList,
      { ...page, q: 'kitch' },
      visible.map((b) => ({ ...p, titlePrefixes: 'kitch', ...b })),
    );
    await measure(
      'admin: search 1 word ("coop")',
      'admin',
      spacesRpc.proposalList,
      { ...page, q: 'coop' },
      { ...p, titlePrefixes: 'coop' },
    );
    await measure(
      'admin: search 2 words',
      'admin',
      spacesRpc.proposalList,
      { ...page, q: 'solar harbour' },
      { ...p, titlePrefixes: 'solar', $and: [{ titlePrefixes: 'harbour' }] },
    );
    await measure(
      'admin: search, Greek',
      'admin',
      spacesRpc.proposalList,
      { ...page, q: 'κουζινα' },
      { ...p, titlePrefixes: 'κουζινα' },
    );
    await measure('calls: open', 'member', spacesRpc.callList, { ...page, status: 'open' }, null);
  });
});

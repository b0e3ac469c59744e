// The directory and profile visibility against the real service: identity in process over a real
// nats-server and the embedded store, called over the bus as the gateway calls it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import {
  bootstrapService,
  createLogger,
  NatsService,
  RpcCallError,
  RpcClient,
  type RunningService,
} from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import { accountRpc, identityRpc, peopleRpc, type Person, type RpcRequest } from '@agora/proto';
import { startStore, type RunningStore } from '@agora/store';
import { IdentityModule } from '../app.module.js';
import { identityEnvSchema } from '../common/identity-config.js';

let nats: NatsServerHandle;
let store: RunningStore;
let dbpath: string;
let service: RunningService;
let bus: NatsService;
let rpc: RpcClient;
let mongo: MongoClient;
let db: Db;
const keys = testAccessKeys();
const config = () =>
  identityEnvSchema.parse({
    NATS_URL: nats.url,
    MONGO_URL: store.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    AUTH_SIGNING_KEY: keys.signingKey,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://agora.test',
  });
const boot = async () => {
  const cfg = config();
  const logger = createLogger('identity', 'silent');
  const running = await bootstrapService({
    service: 'identity',
    module: IdentityModule.forRoot({ config: cfg, logger }),
    config: cfg,
    logger,
    handleSignals: false,
  });
  await running.rpcReady;
  return running;
};

interface Member {
  id: string;
  token: string;
}
let n = 0;
async function register(displayName: string, extra: Record<string, unknown> = {}): Promise<Member> {
  n += 1;
  const session = await rpc.call(identityRpc.register, {
    email: `person${n}@example.org`,
    password: 'olive trees by the harbour',
    displayName,
    country: 'TN',
    preferredLanguage: 'en',
    client: { ip: '203.0.113.9', userAgent: 'vitest' },
    ...extra,
  });
  return { id: session.user.id, token: session.accessToken };
}
const update = (who: Member, patch: RpcRequest<typeof identityRpc.meUpdate>['patch']) =>
  rpc.call(identityRpc.meUpdate, { patch }, { actorToken: who.token });
const search = (
  who: Member,
  filter: RpcRequest<typeof peopleRpc.peopleSearch>['filter'],
  page = {},
) => rpc.call(peopleRpc.peopleSearch, { filter, page }, { actorToken: who.token });
const names = (items: Person[]) => items.map((p) => p.displayName);

let admin: Member;
let leila: Member;
let nikos: Member;
let omar: Member;

beforeAll(async () => {
  nats = await startNatsServer();
  dbpath = await mkdtemp(join(tmpdir(), 'agora-identity-people-'));
  store = await startStore({ port: 0, dbpath, logger: () => undefined });
  service = await boot();
  const logger = createLogger('people-spec', 'silent');
  bus = new NatsService({ url: nats.url, name: 'people-spec-client', logger });
  bus.start();
  await bus.ready(10_000);
  rpc = new RpcClient(bus, 15_000);
  mongo = new MongoClient(store.url, { serverSelectionTimeoutMS: 10_000 });
  await mongo.connect();
  db = mongo.db('agora_identity');
  admin = await register('Ada Admin'); // the first account is the administrator
  leila = await register('Leïla Haddad', { country: 'TN' });
  nikos = await register('Νίκος Παπαδόπουλος', { country: 'GR' });
  omar = await register('عمر الحداد', { country: 'JO' });
  await update(leila, {
    bio: 'Urban gardens in Sfax',
    organisation: 'Jardins Solidaires',
    sector: 'civil-society',
    languages: ['ar', 'fr'],
    expertise: ['funding', 'creativity'],
  });
  await update(nikos, {
    sector: 'academia-research',
    languages: ['el', 'en'],
    expertise: ['technology'],
  });
  await update(omar, { languages: ['ar'], expertise: ['funding'] });
}, 60_000);

afterAll(async () => {
  await service?.shutdown();
  await bus?.drain();
  await mongo?.close();
  await store?.close();
  await nats?.stop();
  if (dbpath) await rm(dbpath, { recursive: true, force: true });
});

describe('member directory (people.search)', () => {
  it('finds members by the start of any name word, accents and letter forms aside, in name order', async () => {
    expect(names((await search(nikos, { q: 'had' })).items)).toEqual(['Leïla Haddad']);
    expect(names((await search(nikos, { q: 'LEILA h' })).items)).toEqual(['Leïla Haddad']);
    expect(names((await search(leila, { q: 'νικ' })).items)).toEqual(['Νίκος Παπαδόπουλος']);
    // Arabic: the start of the word "الحداد"
    expect(names((await search(leila, { q: 'الحد' })).items)).toEqual(['عمر الحداد']);
    expect((await search(leila, { q: 'zzz' })).total).toBe(0);
    const all = await search(leila, {});
    expect(all.total).toBe(4);
    expect(names(all.items)).toEqual([
      'Ada Admin',
      'Leïla Haddad',
      'Νίκος Παπαδόπουλος',
      'عمر الحداد',
    ]);
  });

  it('filters by country, sector, expertise and language, all of them together', async () => {
    expect(names((await search(admin, { expertise: 'funding' })).items)).toEqual([
      'Leïla Haddad',
      'عمر الحداد',
    ]);
    expect(names((await search(admin, { expertise: 'funding', language: 'fr' })).items)).toEqual([
      'Leïla Haddad',
    ]);
    expect(
      names((await search(admin, { country: 'GR', sector: 'academia-research' })).items),
    ).toEqual(['Νίκος Παπαδόπουλος']);
    expect((await search(admin, { country: 'GR', sector: 'civil-society' })).total).toBe(0);
  });

  it('pages through the list with a total', async () => {
    const first = await search(leila, {}, { offset: 0, limit: 3 });
    const second = await search(leila, {}, { offset: 3, limit: 3 });
    expect(first.total).toBe(4);
    expect(first.items).toHaveLength(3);
    expect(names(second.items)).toEqual(['عمر الحداد']);
  });

  it('walks the directory index for every query (no collection scan)', async () => {
    // the repository's filter shape: the first key is walked, the rest checked on what it finds
    const plan = (await db
      .collection('members')
      .find({ directory: { $eq: 'e:funding', $all: ['l:fr'] } })
      .explain()) as unknown as {
      queryPlanner: { winningPlan: { inputStage?: { stage: string; indexName: string } } };
      executionStats: { totalDocsExamined: number; nReturned: number };
    };
    expect(plan.queryPlanner.winningPlan.inputStage).toEqual({
      stage: 'IXSCAN',
      indexName: 'directory_1_nameSort_1__id_1',
    });
    // the two members showing "funding", not the whole collection
    expect(plan.executionStats).toMatchObject({ totalDocsExamined: 2, nReturned: 1 });
  });

  it('reads the unfiltered list in index order, a page at a time', async () => {
    const plan = (await db
      .collection('members')
      .find({ listed: true })
      .sort({ nameSort: 1 })
      .limit(2)
      .explain()) as unknown as {
      queryPlanner: { winningPlan: { inputStage?: { indexName: string } } };
      executionStats: { totalDocsExamined: number; nReturned: number };
    };
    expect(plan.queryPlanner.winningPlan.inputStage?.indexName).toBe('listed_1_nameSort_1__id_1');
    expect(plan.executionStats).toMatchObject({ totalDocsExamined: 2, nReturned: 2 });
  });

  it('refuses callers without a valid token, and bad filters', async () => {
    await expect(
      rpc.call(peopleRpc.peopleSearch, { filter: {}, page: {} }, { actorToken: 'not-a-token' }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(search(leila, { country: 'tunisia' })).rejects.toBeInstanceOf(RpcCallError);
    await expect(search(leila, { q: 'x'.repeat(81) })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('profile visibility', () => {
  it('shows other members only the fields the member shows; the member and admins see all', async () => {
    const seen = await rpc.call(
      peopleRpc.personGet,
      { memberId: leila.id },
      { actorToken: nikos.token },
    );
    // defaults: the organisation is private, the rest public
    expect(seen).toMatchObject({
      displayName: 'Leïla Haddad',
      country: 'TN',
      bio: 'Urban gardens in Sfax',
      organisation: null,
      sector: 'civil-society',
    });
    const byAdmin = await rpc.call(
      peopleRpc.personGet,
      { memberId: leila.id },
      { actorToken: admin.token },
    );
    expect(byAdmin.organisation).toBe('Jardins Solidaires');
    const bySelf = await rpc.call(
      peopleRpc.personGet,
      { memberId: leila.id },
      { actorToken: leila.token },
    );
    expect(bySelf.organisation).toBe('Jardins Solidaires');
    // the profile card other services' pages use hides them too
    const card = await rpc.call(
      identityRpc.memberGet,
      { memberId: leila.id },
      { actorToken: nikos.token },
    );
    expect(card.organisation).toBe('');
  });

  it('follows the member’s choice at once, in the directory too (a hidden value cannot be filtered on)', async () => {
    const me = await update(leila, { publicFields: ['organisation', 'bio'] });
    expect(me.publicFields).toEqual(['bio', 'organisation']);
    const seen = await rpc.call(
      peopleRpc.personGet,
      { memberId: leila.id },
      { actorToken: omar.token },
    );
    expect(seen).toMatchObject({
      organisation: 'Jardins Solidaires',
      sector: null,
      languages: null,
      expertise: null,
      coverUrl: null,
    });
    expect(names((await search(omar, { language: 'fr' })).items)).toEqual([]);
    expect(names((await search(omar, { expertise: 'funding' })).items)).toEqual(['عمر الحداد']);
    // still found by name and country, which are always shown
    expect(names((await search(omar, { q: 'haddad', country: 'TN' })).items)).toEqual([
      'Leïla Haddad',
    ]);
    await update(leila, { publicFields: ['bio', 'sector', 'languages', 'expertise', 'cover'] });
    expect(names((await search(omar, { language: 'fr' })).items)).toEqual(['Leïla Haddad']);
  });

  it('lists and shows no deleted member', async () => {
    const gone = await register('Gone Soon');
    expect(names((await search(leila, { q: 'gone' })).items)).toEqual(['Gone Soon']);
    await rpc.call(
      identityRpc.meDelete,
      { password: 'olive trees by the harbour' },
      { actorToken: gone.token },
    );
    expect((await search(leila, { q: 'gone' })).total).toBe(0);
    await expect(
      rpc.call(peopleRpc.personGet, { memberId: gone.id }, { actorToken: leila.token }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // and a deleted member's own token no longer searches
    await expect(search(gone, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lists and shows no suspended member, and again once reinstated', async () => {
    const reason = 'repeated spam in the forum';
    await rpc.call(
      accountRpc.memberSuspend,
      { memberId: nikos.id, reason },
      { actorToken: admin.token },
    );
    expect(names((await search(leila, {})).items)).not.toContain('Νίκος Παπαδόπουλος');
    expect((await search(leila, { q: 'νικ' })).total).toBe(0);
    await expect(
      rpc.call(peopleRpc.personGet, { memberId: nikos.id }, { actorToken: leila.token }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await rpc.call(
      accountRpc.memberReinstate,
      { memberId: nikos.id, reason },
      { actorToken: admin.token },
    );
    expect(names((await search(leila, { q: 'νικ' })).items)).toEqual(['Νίκος Παπαδόπουλος']);
  });

  it('gives members written before the directory existed their keys at start', async () => {
    await db
      .collection('members')
      .updateMany({}, { $unset: { directory: '', nameSort: '', listed: '' } });
    expect((await search(leila, { q: 'had' })).total).toBe(0);
    await service.shutdown();
    service = await boot();
    expect(names((await search(leila, { q: 'had' })).items)).toEqual(['Leïla Haddad']);
    expect((await search(leila, {})).total).toBe(4);
  }, 30_000);
});

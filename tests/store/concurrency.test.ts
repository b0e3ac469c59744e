// Many clients at once on separate connections: no lost updates, a unique key is won exactly
// once, and findOneAndUpdate claims hand each job to exactly one worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type Document } from 'mongodb';
import { useStore, type AnyDoc } from './store-fixture.js';

const f = useStore('concurrency');
const CLIENTS = 8;

describe('store conformance: concurrent clients', () => {
  const clients: MongoClient[] = [];

  beforeAll(async () => {
    for (let i = 0; i < CLIENTS; i += 1) {
      const client = new MongoClient(f.store.url, { maxPoolSize: 2 });
      await client.connect();
      clients.push(client);
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  const coll = (i: number, name: string) =>
    clients[i % CLIENTS]!.db(f.store.dbName).collection<AnyDoc>(name);

  it('concurrent $inc from many connections loses no update', async () => {
    await f.coll('counter').insertOne({ _id: 'c', n: 0, log: [] });
    await Promise.all(
      clients.map(async (_, i) => {
        for (let k = 0; k < 40; k += 1) {
          const update: Document = { $inc: { n: 1 }, $push: { log: `${i}-${k}` } };
          await coll(i, 'counter').updateOne({ _id: 'c' }, update);
        }
      }),
    );
    const doc = await f.coll('counter').findOne({ _id: 'c' });
    expect(doc?.n).toBe(CLIENTS * 40);
    expect(new Set(doc?.log as string[]).size).toBe(CLIENTS * 40);
  });

  it('a unique key raced by many connections is won exactly once', async () => {
    await f.coll('race').createIndex({ handle: 1 }, { unique: true });
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.allSettled(
        Array.from({ length: 24 }, (_, i) =>
          coll(i, 'race').insertOne({ handle: `h${round}`, by: i }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(23);
      for (const l of lost) expect((l.reason as { code?: number }).code).toBe(11000);
    }
    expect(await f.coll('race').countDocuments()).toBe(5);
  });

  it('racing upserts on the same unique filter create one document', async () => {
    await f.coll('upsert_race').createIndex({ key: 1 }, { unique: true });
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        coll(i, 'upsert_race').updateOne({ key: 'k' }, { $inc: { hits: 1 } }, { upsert: true }),
      ),
    );
    // MongoDB may report E11000 for a losing upsert; it must never create a second document
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { code?: number }).code).toBe(11000);
    }
    const docs = await f.coll('upsert_race').find({ key: 'k' }).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.hits).toBe(results.filter((r) => r.status === 'fulfilled').length);
  });

  it('findOneAndUpdate job claims: every job claimed exactly once across workers', async () => {
    const jobs = f.coll('jobs');
    await jobs.insertMany(
      Array.from({ length: 60 }, (_, i) => ({ _id: i, state: 'ready', prio: i % 7 })),
    );
    const claimed: number[][] = clients.map(() => []);
    await Promise.all(
      clients.map(async (_, w) => {
        for (;;) {
          const job = await coll(w, 'jobs').findOneAndUpdate(
            { state: 'ready' },
            { $set: { state: 'taken', by: w } },
            { sort: { prio: -1, _id: 1 }, returnDocument: 'after' },
          );
          if (!job) return;
          expect(job.by).toBe(w);
          claimed[w]!.push(job._id as unknown as number);
        }
      }),
    );
    const all = claimed.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(await jobs.countDocuments({ state: 'taken' })).toBe(60);
  });
});

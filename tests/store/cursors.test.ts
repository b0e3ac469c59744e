// Cursors: first batch of 101 by default, batchSize, getMore until exhaustion (id 0), killCursors,
// and CursorNotFound (43) for an unknown or killed cursor.
import { describe, expect, it } from 'vitest';
import { Long, type Document } from 'mongodb';
import { core, errorOf, useStore } from './store-fixture.js';

const f = useStore('cursors');
const name = 'cur';

interface CursorReply {
  id: Long;
  ns: string;
  firstBatch?: Document[];
  nextBatch?: Document[];
}

async function seed(): Promise<void> {
  const c = f.coll(name);
  if ((await c.estimatedDocumentCount()) > 0) return;
  await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, v: i % 10 })));
}

async function raw(cmd: Document): Promise<CursorReply> {
  const reply = await f.db.command(cmd, { promoteLongs: false });
  return reply.cursor as CursorReply;
}

describe('store conformance: cursors', () => {
  it('first batch holds 101 documents by default; getMore continues; the last batch returns id 0', async () => {
    await seed();
    const first = await raw({ find: name, filter: {}, sort: { _id: 1 } });
    expect(first.firstBatch).toHaveLength(101);
    expect(first.id).toBeInstanceOf(Long);
    expect(first.id.isZero()).toBe(false);
    const seen = first.firstBatch!.map((d) => d._id as number);
    let id = first.id;
    let rounds = 0;
    while (!id.isZero()) {
      const more = await raw({ getMore: id, collection: name, batchSize: 60 });
      expect(more.ns).toBe(`${f.store.dbName}.${name}`);
      expect(more.nextBatch!.length).toBeLessThanOrEqual(60);
      seen.push(...more.nextBatch!.map((d) => d._id as number));
      id = more.id;
      rounds += 1;
    }
    expect(rounds).toBe(3);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
    // an exhausted cursor is gone
    const gone = await errorOf(() => f.db.command({ getMore: first.id, collection: name }));
    expect(gone.code).toBe(43);
    expect(gone.codeName).toBe('CursorNotFound');
  });

  it('a result that fits in the first batch returns cursor id 0', async () => {
    await seed();
    const small = await raw({ find: name, filter: { v: 3 }, batchSize: 100 });
    expect(small.firstBatch).toHaveLength(25);
    expect(small.id.isZero()).toBe(true);
    const limited = await raw({ find: name, filter: {}, limit: 5 });
    expect(limited.firstBatch).toHaveLength(5);
    expect(limited.id.isZero()).toBe(true);
  });

  it('the driver walks a large result across getMore with batchSize and keeps sort/skip/limit', async () => {
    await seed();
    const c = f.coll(name);
    const docs = await c
      .find({ v: { $lt: 5 } }, { batchSize: 7 })
      .sort({ v: -1, _id: 1 })
      .skip(3)
      .limit(100)
      .toArray();
    const expected = Array.from({ length: 250 }, (_, i) => ({ _id: i, v: i % 10 }))
      .filter((d) => d.v < 5)
      .sort((a, b) => b.v - a.v || a._id - b._id)
      .slice(3, 103);
    expect(docs).toEqual(expected);
    const all = await c.find({}, { batchSize: 2 }).toArray();
    expect(all).toHaveLength(250);
  });

  it('killCursors reports what it killed and the cursor is then unknown (43)', async () => {
    await seed();
    const first = await raw({ find: name, filter: {}, batchSize: 10 });
    expect(first.id.isZero()).toBe(false);
    const bogus = Long.fromString('1234567890123');
    const killed = await f.db.command(
      { killCursors: name, cursors: [first.id, bogus] },
      { promoteLongs: false },
    );
    expect(core(killed)).toMatchObject({ ok: 1 });
    expect(killed.cursorsKilled).toEqual([first.id]);
    expect(killed.cursorsNotFound).toEqual([bogus]);
    const err = await errorOf(() => f.db.command({ getMore: first.id, collection: name }));
    expect(err.code).toBe(43);
  });

  it('closing a driver cursor early kills it on the server', async () => {
    await seed();
    const c = f.coll(name);
    const cursor = c.find({}, { batchSize: 5 });
    const firstDoc = await cursor.next();
    expect(firstDoc).not.toBeNull();
    const id = cursor.id;
    expect(id?.isZero()).toBe(false);
    await cursor.close();
    const err = await errorOf(() => f.db.command({ getMore: id, collection: name }));
    expect(err.code).toBe(43);
  });

  it('getMore for a never-issued cursor id is 43 CursorNotFound', async () => {
    const err = await errorOf(() =>
      f.db.command({ getMore: Long.fromNumber(987654321), collection: name }),
    );
    expect(err.code).toBe(43);
    expect(err.codeName).toBe('CursorNotFound');
  });

  it('aggregate and listCollections return cursors too, and aggregate honours cursor.batchSize', async () => {
    await seed();
    const agg = await raw({
      aggregate: name,
      pipeline: [{ $match: { v: 1 } }],
      cursor: { batchSize: 10 },
    });
    expect(agg.firstBatch).toHaveLength(10);
    expect(agg.id.isZero()).toBe(false);
    const rest = await raw({ getMore: agg.id, collection: name });
    expect(rest.nextBatch).toHaveLength(15);
    expect(rest.id.isZero()).toBe(true);
    const list = await raw({ listCollections: 1, filter: { name } });
    expect(list.firstBatch!.map((d) => d.name as string)).toEqual([name]);
  });
});

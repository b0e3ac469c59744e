// Counts over an index range and sorted, limited finds read in index order: the answers are
// MongoDB's (type bracketing, skip/limit, arrays), whichever way the store computes them — the
// embedded store counts a range without reading documents and reads a top N as N index entries.
import { Long, ObjectId } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStore } from './store-fixture.js';

const f = useStore('index_reads');

interface Ranked {
  _id: number;
  k: number;
  g: number;
}

interface Message {
  _id: string;
  ch: string;
  seq: number;
}

/** The part of an explain('executionStats') reply the assertions read. */
function stats(explained: unknown): { nReturned: number; totalDocsExamined: number } {
  return (explained as { executionStats: { nReturned: number; totalDocsExamined: number } })
    .executionStats;
}

interface Scored {
  _id: number;
  k?: unknown;
  g: number;
}

/** 0..199 numbers (halves too), and one of every other type, plus nulls and missing fields. */
function scoredDocs(): Scored[] {
  const docs: Scored[] = [];
  for (let i = 0; i < 200; i += 1) docs.push({ _id: i, k: i % 2 === 0 ? i : i + 0.5, g: i % 4 });
  docs.push(
    { _id: 1000, k: 'alpha', g: 0 },
    { _id: 1001, k: 'beta', g: 1 },
    { _id: 1002, k: new Date('2026-01-01T00:00:00Z'), g: 2 },
    { _id: 1003, k: true, g: 3 },
    { _id: 1004, k: null, g: 0 },
    { _id: 1005, g: 1 },
    { _id: 1006, k: { nested: 1 }, g: 2 },
    { _id: 1007, k: new ObjectId('65a000000000000000000001'), g: 3 },
    { _id: 1008, k: Long.fromNumber(150), g: 0 },
    { _id: 1009, k: -Infinity, g: 1 },
  );
  return docs;
}

describe('countDocuments over an indexed field', () => {
  beforeAll(async () => {
    const c = f.coll('scored');
    await c.createIndex({ k: 1 });
    await c.insertMany(scoredDocs());
  });

  it('counts ranges with MongoDB type bracketing: a numeric bound counts only numbers', async () => {
    const c = f.coll('scored');
    // numbers 0..199.5: 100 even i (0..198) + 100 odd i (1.5..199.5), Long(150), -Infinity
    expect(await c.countDocuments({ k: { $gte: 100 } })).toBe(101); // 100..199.5 (100) + Long 150
    expect(await c.countDocuments({ k: { $gt: 100, $lt: 120 } })).toBe(19); // 101.5..119.5 and 102..118
    expect(await c.countDocuments({ k: { $lt: 10 } })).toBe(11); // -Infinity, 0,1.5,…,9.5
    expect(await c.countDocuments({ k: { $lte: -Infinity } })).toBe(1);
    expect(await c.countDocuments({ k: { $gte: -Infinity } })).toBe(202);
    expect(await c.countDocuments({ k: { $gte: 1e9 } })).toBe(0);
    // strings, dates, booleans and ObjectIds bracket to their own type
    expect(await c.countDocuments({ k: { $gte: 'a' } })).toBe(2);
    expect(await c.countDocuments({ k: { $gt: 'alpha', $lte: 'zzz' } })).toBe(1);
    expect(await c.countDocuments({ k: { $lt: new Date('2030-01-01') } })).toBe(1);
    expect(await c.countDocuments({ k: { $gte: false } })).toBe(1);
    expect(await c.countDocuments({ k: { $gt: new ObjectId('000000000000000000000000') } })).toBe(
      1,
    );
    // bounds of two types: nothing is both
    expect(await c.countDocuments({ k: { $gt: 5, $lt: 'z' } })).toBe(0);
  });

  it('counts equality and $in across numeric types, and skip/limit as the driver sends them', async () => {
    const c = f.coll('scored');
    expect(await c.countDocuments({ k: 150 })).toBe(2); // 150 and Long(150)
    expect(await c.countDocuments({ k: { $eq: 1.5 } })).toBe(1);
    expect(await c.countDocuments({ k: { $in: [2, 2.0, 3.5, 'beta', true] } })).toBe(4);
    expect(await c.countDocuments({ k: { $gte: 100 } }, { skip: 90 })).toBe(11);
    expect(await c.countDocuments({ k: { $gte: 100 } }, { limit: 7 })).toBe(7);
    expect(await c.countDocuments({ k: { $gte: 100 } }, { skip: 98, limit: 2 })).toBe(2);
    expect(await c.countDocuments({ k: { $gte: 100 } }, { skip: 500 })).toBe(0);
    expect(await c.countDocuments({})).toBe(210);
    expect(await c.estimatedDocumentCount()).toBe(210);
    const raw = await f.db.command({
      count: 'scored',
      query: { k: { $lt: 10 } },
      skip: 1,
      limit: 5,
    });
    expect(raw.n).toBe(5);
    // a count that is not one condition on the index is still right
    expect(await c.countDocuments({ k: { $gte: 100 }, g: 0 })).toBe(26); // i = 100, 104…196, and Long(150)
  });

  it('stays right after updates and deletes, and once the field holds an array (multikey)', async () => {
    const c = f.coll('scored_changing');
    await c.createIndex({ k: 1 });
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, k: i, g: 0 })));
    await c.updateMany({ _id: { $lt: 50 } }, { $inc: { k: 1000 } });
    await c.deleteMany({ _id: { $gte: 250 } });
    expect(await c.countDocuments({ k: { $gte: 100, $lt: 1000 } })).toBe(150);
    expect(await c.countDocuments({ k: { $gte: 1000 } })).toBe(50);
    // k 11..19 moved to 1011..1019 above; an array matches when some element meets each
    // bound, not necessarily the same one: [5, 2000] is "above 10 and below 20"
    expect(await c.countDocuments({ k: { $gt: 10, $lt: 20 } })).toBe(0);
    await c.insertOne({ _id: 'arr', k: [5, 2000], g: 0 });
    expect(await c.countDocuments({ k: { $gt: 10, $lt: 20 } })).toBe(1);
    expect((await c.find({ k: { $gt: 10, $lt: 20 } }).toArray()).map((d) => d._id)).toEqual([
      'arr',
    ]);
    expect(await c.countDocuments({ k: { $gt: 1, $lt: 3000 } })).toBe(251);
    expect(await c.countDocuments({ k: { $gte: 1000 } })).toBe(51);
  });
});

describe('sorted, limited finds on an indexed field', () => {
  beforeAll(async () => {
    const board = f.db.collection<Ranked>('board');
    await board.createIndex({ k: 1 });
    // distinct keys, inserted in an order unrelated to them
    await board.insertMany(
      Array.from({ length: 5000 }, (_, i) => ({ _id: i, k: (i * 7919) % 5000, g: i % 3 })),
    );
    const messages = f.db.collection<Message>('messages');
    await messages.createIndex({ ch: 1, seq: 1 }, { unique: true });
    const docs: Message[] = [];
    for (const ch of ['a', 'b', 'c'])
      for (let seq = 1; seq <= 400; seq += 1) docs.push({ _id: `${ch}${seq}`, ch, seq });
    await messages.insertMany(docs.reverse());
  });

  it('returns the top and bottom of a range, and examines only what it returns', async () => {
    const board = f.db.collection<Ranked>('board');
    const top = await board
      .find({ k: { $gte: 0, $lt: 1e9 } })
      .sort({ k: -1 })
      .limit(10)
      .toArray();
    expect(top.map((d) => d.k)).toEqual([
      4999, 4998, 4997, 4996, 4995, 4994, 4993, 4992, 4991, 4990,
    ]);
    const bottom = await board
      .find({ k: { $gt: 100 } })
      .sort({ k: 1 })
      .skip(5)
      .limit(3)
      .toArray();
    expect(bottom.map((d) => d.k)).toEqual([106, 107, 108]);
    const filtered = await board
      .find({ k: { $lt: 1000 }, g: 1 })
      .sort({ k: -1 })
      .limit(4)
      .toArray();
    const expected = Array.from({ length: 5000 }, (_, i) => ({ k: (i * 7919) % 5000, g: i % 3 }))
      .filter((d) => d.k < 1000 && d.g === 1)
      .map((d) => d.k)
      .sort((a, b) => b - a)
      .slice(0, 4);
    expect(filtered.map((d) => d.k)).toEqual(expected);
    const explained = await board
      .find({ k: { $gte: 0 } })
      .sort({ k: -1 })
      .limit(10)
      .explain('executionStats');
    expect(stats(explained).nReturned).toBe(10);
    expect(stats(explained).totalDocsExamined).toBe(10);
  });

  it('pages a channel by seq from a compound index, both directions', async () => {
    const messages = f.db.collection<Message>('messages');
    const newest = await messages.find({ ch: 'b' }).sort({ seq: -1 }).limit(3).toArray();
    expect(newest.map((d) => d._id)).toEqual(['b400', 'b399', 'b398']);
    const before = await messages
      .find({ ch: 'b', seq: { $lt: 100 } })
      .sort({ seq: -1 })
      .limit(3)
      .toArray();
    expect(before.map((d) => d._id)).toEqual(['b99', 'b98', 'b97']);
    const after = await messages
      .find({ ch: 'c', seq: { $gt: 395 } })
      .sort({ seq: 1 })
      .limit(10)
      .toArray();
    expect(after.map((d) => d._id)).toEqual(['c396', 'c397', 'c398', 'c399', 'c400']);
    const between = await messages
      .find({ ch: 'a', seq: { $gt: 10, $lte: 13 } })
      .sort({ seq: -1 })
      .toArray();
    expect(between.map((d) => d._id)).toEqual(['a13', 'a12', 'a11']);
    const explained = await messages
      .find({ ch: 'a', seq: { $lt: 300 } })
      .sort({ seq: -1 })
      .limit(5)
      .explain('executionStats');
    expect(stats(explained).nReturned).toBe(5);
    expect(stats(explained).totalDocsExamined).toBe(5);
  });

  it('counts a point on a compound index with a condition on its next field', async () => {
    const messages = f.db.collection<Message>('messages');
    expect(await messages.countDocuments({ ch: 'b', seq: { $gt: 390 } })).toBe(10);
    expect(await messages.countDocuments({ seq: { $lte: 5 }, ch: 'c' })).toBe(5);
    expect(await messages.countDocuments({ ch: 'a', seq: { $in: [1, 400, 401] } })).toBe(2);
    // A value of another type than the field's matches nothing (no type coercion).
    expect(await f.coll('messages').countDocuments({ ch: 'a', seq: 'one' })).toBe(0);
    expect(await messages.countDocuments({ ch: { $in: ['a', 'b'] }, seq: { $lt: 3 } })).toBe(4);
    expect(await messages.countDocuments({ seq: { $gt: 398 } })).toBe(6);
    const unread = f.coll('notifications');
    await unread.createIndex({ memberId: 1, read: 1 });
    await unread.insertMany(
      Array.from({ length: 60 }, (_, i) => ({ _id: i, memberId: `m${i % 3}`, read: i % 4 === 0 })),
    );
    await unread.insertOne({ _id: 'no-flag', memberId: 'm0' });
    expect(await unread.countDocuments({ memberId: 'm0', read: false })).toBe(15);
    expect(await unread.countDocuments({ memberId: 'm0', read: true })).toBe(5);
    expect(await unread.countDocuments({ memberId: 'm0' })).toBe(21);
  });

  it('sorts a field that holds arrays by its largest element descending, smallest ascending', async () => {
    const c = f.coll('board_arrays');
    await c.createIndex({ k: 1 });
    await c.insertMany([
      { _id: 1, k: 5 },
      { _id: 2, k: [1, 9] },
      { _id: 3, k: 7 },
      { _id: 4, k: [] },
      { _id: 5, k: 0 },
    ]);
    const desc = await c
      .find({ k: { $gte: 0 } })
      .sort({ k: -1 })
      .limit(3)
      .toArray();
    expect(desc.map((d) => d._id)).toEqual([2, 3, 1]);
    const asc = await c.find({}).sort({ k: 1 }).limit(3).toArray();
    expect(asc.map((d) => d._id)).toEqual([4, 5, 2]);
  });
});

describe('projections of top-level fields', () => {
  it('return the stored document’s fields in its order, _id first unless excluded', async () => {
    const c = f.coll('projected');
    await c.insertOne({ _id: 1, z: 1, q: { a: 1 }, a: 2, outbox: [{ _id: 'e' }], tags: ['x'] });
    const inclusion = await c.findOne({ _id: 1 }, { projection: { a: 1, z: 1 } });
    expect(inclusion).toEqual({ _id: 1, z: 1, a: 2 });
    expect(Object.keys(inclusion!)).toEqual(['_id', 'z', 'a']);
    expect(await c.findOne({ _id: 1 }, { projection: { a: 1, _id: 0 } })).toEqual({ a: 2 });
    const exclusion = await c.findOne({ _id: 1 }, { projection: { outbox: 0, tags: 0 } });
    expect(Object.keys(exclusion!)).toEqual(['_id', 'z', 'q', 'a']);
    expect(await c.findOne({ _id: 1 }, { projection: { _id: 0, q: 0, outbox: 0 } })).toEqual({
      z: 1,
      a: 2,
      tags: ['x'],
    });
    expect(await c.findOne({ _id: 1 }, { projection: { _id: 1 } })).toEqual({ _id: 1 });
    expect(await c.findOne({ _id: 1 }, { projection: { 'q.a': 1 } })).toEqual({
      _id: 1,
      q: { a: 1 },
    });
    const mixed = await c.findOne({ _id: 1 }, { projection: { a: 1, z: 0 } }).then(
      () => null,
      (err: unknown) => err as { code?: number },
    );
    expect(mixed).not.toBeNull();
  });
});

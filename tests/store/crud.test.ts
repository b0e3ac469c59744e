// CRUD through the official driver: write acknowledgements, reads with filter/sort/skip/limit/
// projection, counts and distinct, and the raw reply shapes mongoose relies on.
import { describe, expect, it } from 'vitest';
import { Decimal128, Long, ObjectId } from 'mongodb';
import { core, useStore } from './store-fixture.js';

const f = useStore('crud');

describe('store conformance: CRUD', () => {
  it('insertOne assigns an ObjectId _id and findOne reads the document back with types intact', async () => {
    const c = f.coll('crud_basic');
    const when = new Date('2026-01-02T03:04:05.678Z');
    const res = await c.insertOne({
      name: 'Aya',
      tags: ['a', 'b'],
      nested: { n: 1.5, ok: true },
      when,
    });
    expect(res.acknowledged).toBe(true);
    expect(res.insertedId).toBeInstanceOf(ObjectId);
    const doc = await c.findOne({ _id: res.insertedId });
    expect(doc).toEqual({
      _id: res.insertedId,
      name: 'Aya',
      tags: ['a', 'b'],
      nested: { n: 1.5, ok: true },
      when,
    });
    expect(doc?.when).toBeInstanceOf(Date);
  });

  it('insertMany (a kind-1 document sequence) stores every document and reports their ids', async () => {
    const c = f.coll('crud_many');
    const docs = Array.from({ length: 250 }, (_, i) => ({ i, even: i % 2 === 0 }));
    const res = await c.insertMany(docs);
    expect(res.insertedCount).toBe(250);
    expect(Object.keys(res.insertedIds)).toHaveLength(250);
    expect(await c.countDocuments()).toBe(250);
    expect(await c.countDocuments({ even: true })).toBe(125);
  });

  it('find applies filter, sort, skip, limit and projection', async () => {
    const c = f.coll('crud_find');
    await c.insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        _id: i,
        score: (i * 7) % 20,
        group: i % 3,
        secret: 'x',
      })),
    );
    const page = await c
      .find({ group: { $in: [0, 1] }, score: { $gte: 3 } }, { projection: { score: 1, group: 1 } })
      .sort({ score: -1, _id: 1 })
      .skip(2)
      .limit(3)
      .toArray();
    const all = Array.from({ length: 20 }, (_, i) => ({
      _id: i,
      score: (i * 7) % 20,
      group: i % 3,
    }))
      .filter((d) => d.group !== 2 && d.score >= 3)
      .sort((a, b) => b.score - a.score || a._id - b._id);
    expect(page).toEqual(all.slice(2, 5));
    const excluded = await c.findOne({ _id: 4 }, { projection: { secret: 0, group: 0 } });
    expect(excluded).toEqual({ _id: 4, score: 8 });
    const noId = await c.findOne({ _id: 4 }, { projection: { _id: 0, score: 1 } });
    expect(noId).toEqual({ score: 8 });
  });

  it('query operators: $eq $ne $gt $lt $in $nin $exists $and $or $nor $not $regex $elemMatch $size $all $type', async () => {
    const c = f.coll('crud_ops');
    const oid = new ObjectId();
    await c.insertMany([
      { _id: 1, n: 1, s: 'alpha', arr: [1, 2, 3], sub: [{ k: 'a', v: 1 }], ref: oid },
      { _id: 2, n: 2, s: 'beta', arr: [4], sub: [{ k: 'b', v: 2 }], ref: 'not-an-id' },
      { _id: 3, n: 3, s: 'Gamma', arr: [], sub: [] },
      { _id: 4, s: null },
    ]);
    const ids = async (filter: object) =>
      (await c.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id as unknown as number);
    expect(await ids({ n: { $eq: 2 } })).toEqual([2]);
    expect(await ids({ n: { $ne: 2 } })).toEqual([1, 3, 4]);
    expect(await ids({ n: { $gt: 1, $lt: 3 } })).toEqual([2]);
    expect(await ids({ n: { $in: [1, 3] } })).toEqual([1, 3]);
    expect(await ids({ n: { $nin: [1, 3] } })).toEqual([2, 4]);
    expect(await ids({ n: { $exists: false } })).toEqual([4]);
    expect(await ids({ s: null })).toEqual([4]);
    expect(await ids({ $and: [{ n: { $gte: 2 } }, { s: { $regex: '^b' } }] })).toEqual([2]);
    expect(await ids({ $or: [{ n: 1 }, { s: 'Gamma' }] })).toEqual([1, 3]);
    expect(await ids({ $nor: [{ n: 1 }, { n: 2 }] })).toEqual([3, 4]);
    expect(await ids({ n: { $not: { $gt: 1 } } })).toEqual([1, 4]);
    expect(await ids({ s: /^gam/i })).toEqual([3]);
    expect(await ids({ sub: { $elemMatch: { k: 'b', v: { $gte: 2 } } } })).toEqual([2]);
    expect(await ids({ arr: { $size: 0 } })).toEqual([3]);
    expect(await ids({ arr: { $all: [1, 3] } })).toEqual([1]);
    expect(await ids({ arr: 4 })).toEqual([2]);
    expect(await ids({ 'sub.k': 'a' })).toEqual([1]);
    expect(await ids({ ref: { $type: 'string' } })).toEqual([2]);
    expect(await ids({ ref: { $type: 'objectId' } })).toEqual([1]);
    expect(await ids({ ref: { $type: ['objectId', 'string'] } })).toEqual([1, 2]);
    expect(await ids({ n: { $type: 'int' } })).toEqual([1, 2, 3]);
  });

  it('sorts mixed BSON types in MongoDB order (null < numbers < strings < objects < ObjectId < booleans < dates)', async () => {
    const c = f.coll('crud_mixed_sort');
    const oid = new ObjectId('650000000000000000000001');
    const date = new Date('2020-01-01T00:00:00Z');
    await c.insertMany([
      { _id: 1, v: date },
      { _id: 2, v: true },
      { _id: 3, v: oid },
      { _id: 4, v: { x: 1 } },
      { _id: 5, v: 'b' },
      { _id: 6, v: 'a' },
      { _id: 7, v: 2.5 },
      { _id: 8, v: Long.fromNumber(2) },
      { _id: 9, v: null },
      { _id: 10, v: false },
    ]);
    const asc = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map(
      (d) => d._id as unknown as number,
    );
    expect(asc).toEqual([9, 8, 7, 6, 5, 4, 3, 10, 2, 1]);
    const desc = (await c.find().sort({ v: -1, _id: 1 }).toArray()).map(
      (d) => d._id as unknown as number,
    );
    expect(desc).toEqual([1, 2, 10, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('sorts arrays by their smallest element ascending (largest descending), an empty array below null', async () => {
    const c = f.coll('crud_array_sort');
    await c.insertMany([
      { _id: 1, v: [5, 1] },
      { _id: 2, v: 3 },
      { _id: 3, v: [] },
      { _id: 4, v: null },
      { _id: 5, v: [2, 9] },
    ]);
    const asc = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    expect(asc).toEqual([3, 4, 1, 5, 2]);
    const desc = (await c.find().sort({ v: -1, _id: 1 }).toArray()).map((d) => d._id);
    expect(desc).toEqual([5, 1, 2, 4, 3]);
  });

  it('numbers compare by value across int, double, Long and Decimal128 in filters and $match', async () => {
    const c = f.coll('crud_numeric');
    await c.insertMany([
      { _id: 1, v: 1 },
      { _id: 2, v: 2.5 },
      { _id: 3, v: Long.fromNumber(3) },
      { _id: 4, v: Decimal128.fromString('4.25') },
      { _id: 5, v: 'five' },
    ]);
    const ids = async (filter: object) =>
      (await c.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ v: { $gt: 2 } })).toEqual([2, 3, 4]);
    expect(await ids({ v: { $lte: 3 } })).toEqual([1, 2, 3]);
    expect(await ids({ v: 3 })).toEqual([3]);
    expect(await ids({ v: Long.fromNumber(1) })).toEqual([1]);
    expect(await ids({ v: { $in: [4.25, 2.5] } })).toEqual([2, 4]);
    const matched = await c
      .aggregate([{ $match: { v: { $gte: 2.5, $lt: 4.3 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(matched.map((d) => d._id as number)).toEqual([2, 3, 4]);
  });

  it('updateOne/updateMany report matchedCount and modifiedCount; a no-op update modifies nothing', async () => {
    const c = f.coll('crud_update');
    await c.insertMany([
      { _id: 1, g: 'x', v: 0 },
      { _id: 2, g: 'x', v: 0 },
      { _id: 3, g: 'y', v: 0 },
    ]);
    const many = await c.updateMany({ g: 'x' }, { $set: { v: 1 } });
    expect(many).toMatchObject({
      acknowledged: true,
      matchedCount: 2,
      modifiedCount: 2,
      upsertedCount: 0,
    });
    expect(many.upsertedId).toBeNull();
    const same = await c.updateOne({ _id: 1 }, { $set: { v: 1 } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const none = await c.updateOne({ _id: 99 }, { $set: { v: 1 } });
    expect(none).toMatchObject({ matchedCount: 0, modifiedCount: 0 });
    expect(await c.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, g: 'x', v: 1 },
      { _id: 2, g: 'x', v: 1 },
      { _id: 3, g: 'y', v: 0 },
    ]);
  });

  it('replaceOne replaces the whole document but keeps _id', async () => {
    const c = f.coll('crud_replace');
    await c.insertOne({ _id: 'r1', a: 1, b: 2 });
    const res = await c.replaceOne({ _id: 'r1' }, { c: 3 });
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: 'r1' })).toEqual({ _id: 'r1', c: 3 });
  });

  it('deleteOne/deleteMany report deletedCount', async () => {
    const c = f.coll('crud_delete');
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect((await c.deleteMany({ k: 99 })).deletedCount).toBe(0);
    expect(await c.countDocuments()).toBe(1);
  });

  it('bulkWrite mixes inserts, updates, upserts and deletes with correct counts', async () => {
    const c = f.coll('crud_bulk');
    const res = await c.bulkWrite([
      { insertOne: { document: { _id: 1, v: 1 } } },
      { insertOne: { document: { _id: 2, v: 2 } } },
      { updateOne: { filter: { _id: 1 }, update: { $inc: { v: 10 } } } },
      { updateOne: { filter: { _id: 3 }, update: { $set: { v: 3 } }, upsert: true } },
      { deleteOne: { filter: { _id: 2 } } },
    ]);
    expect(res.insertedCount).toBe(2);
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(1);
    expect(res.upsertedCount).toBe(1);
    expect(res.deletedCount).toBe(1);
    expect(await c.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 1, v: 11 },
      { _id: 3, v: 3 },
    ]);
  });

  it('countDocuments, estimatedDocumentCount, the count command and distinct', async () => {
    const c = f.coll('crud_count');
    await c.insertMany([
      { c: 'red', n: 1, tags: ['x', 'y'] },
      { c: 'red', n: 2, tags: ['y'] },
      { c: 'blue', n: 3, tags: [] },
      { c: 'green', n: 4 },
    ]);
    expect(await c.countDocuments({ c: 'red' })).toBe(2);
    expect(await c.countDocuments({}, { skip: 1, limit: 2 })).toBe(2);
    expect(await c.estimatedDocumentCount()).toBe(4);
    const raw = await f.db.command({ count: 'crud_count', query: { n: { $gt: 1 } } });
    expect(raw).toMatchObject({ n: 3, ok: 1 });
    expect((await c.distinct('c')).sort()).toEqual(['blue', 'green', 'red']);
    expect((await c.distinct('c', { n: { $lt: 3 } })).sort()).toEqual(['red']);
    // distinct unwinds arrays
    expect((await c.distinct('tags')).sort()).toEqual(['x', 'y']);
  });

  it('collections: create, listCollections, drop and dropDatabase', async () => {
    const other = f.client.db(`${f.store.dbName}_x`);
    await other.createCollection('made');
    await other.collection('implicit').insertOne({ a: 1 });
    const names = (await other.listCollections().toArray()).map((x) => x.name).sort();
    expect(names).toEqual(['implicit', 'made']);
    const onlyMade = await other.listCollections({ name: 'made' }, { nameOnly: true }).toArray();
    expect(onlyMade.map((x) => x.name)).toEqual(['made']);
    expect(await other.collection('made').drop()).toBe(true);
    expect((await other.listCollections().toArray()).map((x) => x.name)).toEqual(['implicit']);
    expect(await other.dropDatabase()).toBe(true);
    expect(await other.listCollections().toArray()).toEqual([]);
    expect(await other.collection('implicit').countDocuments()).toBe(0);
  });

  it('raw reply shapes: insert/update/delete carry n, find carries an int64 cursor id and ns', async () => {
    const name = 'crud_raw';
    const ins = await f.db.command({
      insert: name,
      documents: [
        { _id: 1, a: 1 },
        { _id: 2, a: 2 },
      ],
    });
    expect(core(ins)).toEqual({ n: 2, ok: 1 });
    const upd = await f.db.command({
      update: name,
      updates: [
        { q: { a: { $gte: 1 } }, u: { $set: { b: 1 } }, multi: true },
        { q: { _id: 3 }, u: { $set: { a: 3 } }, upsert: true },
      ],
    });
    expect(core(upd)).toEqual({ n: 3, nModified: 2, upserted: [{ index: 1, _id: 3 }], ok: 1 });
    const del = await f.db.command({ delete: name, deletes: [{ q: { _id: 3 }, limit: 1 }] });
    expect(core(del)).toEqual({ n: 1, ok: 1 });
    const found = await f.db.command(
      { find: name, filter: {}, batchSize: 1 },
      { promoteLongs: false },
    );
    const cursor = found.cursor as { id: unknown; ns: string; firstBatch: unknown[] };
    expect(cursor.id).toBeInstanceOf(Long);
    expect((cursor.id as Long).isZero()).toBe(false);
    expect(cursor.ns).toBe(`${f.store.dbName}.${name}`);
    expect(cursor.firstBatch).toHaveLength(1);
    await f.db.command({ killCursors: name, cursors: [cursor.id] });
  });
});

// The write paths services lean on, answered as MongoDB answers them: insertMany with duplicate
// keys under ordered:false (one write error per refused document, the rest inserted), updates by
// _id with $inc/$set/$push $each/$slice (new fields in MongoDB's order, its error for a $push onto
// a non-array, a path through a scalar, an $inc of null), and findOneAndUpdate by _id.
import { MongoBulkWriteError, MongoServerError, ObjectId, type WriteError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { errorOf, useStore } from './store-fixture.js';

const f = useStore('write_paths');

interface Balance {
  _id: string;
  balance: number;
  recent: string[];
  fresh?: number[];
  firstTwo?: number[];
  stats?: { awards?: number; last?: string };
  alpha?: number;
  zeta?: number;
  nothere?: { deep?: number };
}

/** Fields whose types make the refused updates below type-check (the store refuses them). */
interface Refused {
  _id: ObjectId;
  n: number;
  name: string | { first: string };
  nothing: number | null;
}

interface Claim {
  _id: number;
  n: number;
  tags: string[];
}

describe('insertMany with duplicate keys, ordered: false', () => {
  it('inserts every other document and reports each duplicate with its index, key pattern and value', async () => {
    const c = f.coll('ledger');
    await c.createIndex({ key: 1 }, { unique: true });
    await c.insertMany([
      { _id: 'e1', key: 'k1' },
      { _id: 'e2', key: 'k2' },
    ]);
    const err = await errorOf(() =>
      c.insertMany(
        [
          { _id: 'e3', key: 'k3' }, // 0: new
          { _id: 'e1', key: 'k9' }, // 1: _id taken before the batch
          { _id: 'e4', key: 'k2' }, // 2: unique key taken before the batch
          { _id: 'e5', key: 'k5' }, // 3: new
          { _id: 'e5', key: 'k6' }, // 4: _id taken earlier in this batch
          { _id: 'e6', key: 'k5' }, // 5: unique key taken earlier in this batch
          { _id: 'e7', key: 'k7' }, // 6: new
        ],
        { ordered: false },
      ),
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as unknown as MongoBulkWriteError;
    expect(bulk.code).toBe(11000);
    expect(bulk.insertedCount).toBe(3);
    expect(Object.values(bulk.insertedIds).sort()).toEqual(['e3', 'e5', 'e7']);
    const ns = `${f.store.dbName}.ledger`;
    const list = ([] as WriteError[]).concat(bulk.writeErrors);
    const dup = (index: string, key: string, value: string) =>
      `E11000 duplicate key error collection: ${ns} index: ${index} dup key: { ${key}: "${value}" }`;
    expect(list.map((e) => ({ index: e.index, code: e.code, errmsg: e.errmsg }))).toEqual([
      { index: 1, code: 11000, errmsg: dup('_id_', '_id', 'e1') },
      { index: 2, code: 11000, errmsg: dup('key_1', 'key', 'k2') },
      { index: 4, code: 11000, errmsg: dup('_id_', '_id', 'e5') },
      { index: 5, code: 11000, errmsg: dup('key_1', 'key', 'k5') },
    ]);
    const stored = await c.find({}).sort({ _id: 1 }).toArray();
    expect(stored).toEqual([
      { _id: 'e1', key: 'k1' },
      { _id: 'e2', key: 'k2' },
      { _id: 'e3', key: 'k3' },
      { _id: 'e5', key: 'k5' },
      { _id: 'e7', key: 'k7' },
    ]);
    // ordered (the default) stops at the first duplicate and inserts what came before it
    const ordered = await errorOf(() =>
      c.insertMany([{ _id: 'e8', key: 'k8' }, { _id: 'e1' }, { _id: 'e9', key: 'k10' }]),
    );
    expect((ordered as unknown as MongoBulkWriteError).insertedCount).toBe(1);
    expect(await c.countDocuments({ _id: { $in: ['e8', 'e9'] } })).toBe(1);
  });

  it('the raw reply carries n and each write error with keyPattern and keyValue, as mongod sends them', async () => {
    const c = f.coll('ledger_raw');
    await c.createIndex({ key: 1 }, { unique: true });
    await c.insertOne({ _id: 'a', key: 'k1' });
    const reply = await f.db.command({
      insert: 'ledger_raw',
      documents: [
        { _id: 'b', key: 'k2' },
        { _id: 'a', key: 'k3' },
        { _id: 'c', key: 'k2' },
        { _id: 'd', key: 'k4' },
      ],
      ordered: false,
    });
    expect(reply.ok).toBe(1);
    expect(reply.n).toBe(2);
    const ns = `${f.store.dbName}.ledger_raw`;
    expect(reply.writeErrors).toEqual([
      {
        index: 1,
        code: 11000,
        errmsg: `E11000 duplicate key error collection: ${ns} index: _id_ dup key: { _id: "a" }`,
        keyPattern: { _id: 1 },
        keyValue: { _id: 'a' },
      },
      {
        index: 2,
        code: 11000,
        errmsg: `E11000 duplicate key error collection: ${ns} index: key_1 dup key: { key: "k2" }`,
        keyPattern: { key: 1 },
        keyValue: { key: 'k2' },
      },
    ]);
  });

  it('a batch of only duplicates inserts nothing and names every one', async () => {
    const c = f.coll('ledger_dups');
    await c.insertMany([{ _id: 1 }, { _id: 2 }]);
    const err = (await errorOf(() =>
      c.insertMany([{ _id: 2 }, { _id: 1 }, { _id: 2 }], { ordered: false }),
    )) as unknown as MongoBulkWriteError;
    expect(err.insertedCount).toBe(0);
    const list = ([] as WriteError[]).concat(err.writeErrors);
    expect(list.map((e) => [e.index, e.code])).toEqual([
      [0, 11000],
      [1, 11000],
      [2, 11000],
    ]);
    expect(await c.countDocuments()).toBe(2);
  });
});

describe('updates by _id', () => {
  it('applies $inc, $set and $push with $each/$slice together, adding new fields in field-name order', async () => {
    const c = f.db.collection<Balance>('balances');
    await c.insertOne({ _id: 'm1', balance: 10, recent: ['a', 'b', 'c'] });
    const r = await c.updateOne(
      { _id: 'm1' },
      {
        $inc: { balance: 5, 'stats.awards': 1 },
        $set: { zeta: 1, alpha: 2, 'stats.last': 'x' },
        $push: { recent: { $each: ['d', 'e'], $slice: -3 } },
      },
    );
    expect([r.matchedCount, r.modifiedCount]).toEqual([1, 1]);
    const doc = await c.findOne({ _id: 'm1' });
    expect(doc).toEqual({
      _id: 'm1',
      balance: 15,
      recent: ['c', 'd', 'e'],
      alpha: 2,
      stats: { awards: 1, last: 'x' },
      zeta: 1,
    });
    // MongoDB 5.0+ adds new fields in lexicographic order of their names
    expect(Object.keys(doc!)).toEqual(['_id', 'balance', 'recent', 'alpha', 'stats', 'zeta']);
    expect(Object.keys(doc!.stats as object)).toEqual(['awards', 'last']);
    // $slice: 0 empties, a positive slice keeps the first n; $push creates a missing array
    await c.updateOne(
      { _id: 'm1' },
      {
        $push: {
          recent: { $each: ['f'], $slice: 0 },
          fresh: 1,
          firstTwo: { $each: [1, 2, 3], $slice: 2 },
        },
      },
    );
    expect(
      await c.findOne({ _id: 'm1' }, { projection: { recent: 1, fresh: 1, firstTwo: 1 } }),
    ).toEqual({ _id: 'm1', recent: [], fresh: [1], firstTwo: [1, 2] });
    // $unset of a missing path changes nothing
    const noop = await c.updateOne({ _id: 'm1' }, { $unset: { 'nothere.deep': '' } });
    expect([noop.matchedCount, noop.modifiedCount]).toEqual([1, 0]);
    const missing = await c.updateOne({ _id: 'nobody' }, { $inc: { balance: 1 } });
    expect([missing.matchedCount, missing.modifiedCount]).toEqual([0, 0]);
  });

  it('refuses what MongoDB refuses, changing nothing', async () => {
    const c = f.db.collection<Refused>('balances_refused');
    const id = new ObjectId();
    await c.insertOne({ _id: id, n: 5, name: 'x', nothing: null });
    const before = await c.findOne({ _id: id });
    /** The write error mongod answers for one update statement on that document. */
    const refusal = async (u: Record<string, unknown>) => {
      const reply = await f.db.command({
        update: 'balances_refused',
        updates: [{ q: { _id: id }, u }],
      });
      expect(reply.ok).toBe(1);
      expect(reply.nModified).toBe(0);
      const [error] = reply.writeErrors as { index: number; code: number; errmsg: string }[];
      return { code: error!.code, errmsg: error!.errmsg };
    };
    const doc = `{_id: ObjectId('${id.toHexString()}')}`;
    expect(await refusal({ $push: { n: 1 } })).toEqual({
      code: 2,
      errmsg: `The field 'n' must be an array but is of type int in document ${doc}`,
    });
    expect(await refusal({ $set: { 'name.first': 'y' } })).toEqual({
      code: 28,
      errmsg: `Cannot create field 'first' in element {name: "x"}`,
    });
    expect(await refusal({ $inc: { nothing: 1, n: 1 } })).toEqual({
      code: 14,
      errmsg: `Cannot apply $inc to a value of non-numeric type. ${doc} has the field 'nothing' of non-numeric type null`,
    });
    // through the driver: a MongoServerError with the same code
    const push = await errorOf(() => c.updateOne({ _id: id }, { $set: { 'name.first': 'z' } }));
    expect(push).toBeInstanceOf(MongoServerError);
    expect(push.code).toBe(28);
    expect(await c.findOne({ _id: id })).toEqual(before);
  });

  it('findOneAndUpdate by _id returns the document before or after, and null when there is none', async () => {
    const c = f.db.collection<Claim>('claims');
    await c.insertOne({ _id: 7, n: 1, tags: ['a'] });
    const before = await c.findOneAndUpdate({ _id: 7 }, { $inc: { n: 1 }, $push: { tags: 'b' } });
    expect(before).toEqual({ _id: 7, n: 1, tags: ['a'] });
    const after = await c.findOneAndUpdate(
      { _id: 7 },
      { $inc: { n: 1 } },
      { returnDocument: 'after', projection: { n: 1 } },
    );
    expect(after).toEqual({ _id: 7, n: 3 });
    expect(await c.findOneAndUpdate({ _id: 8 }, { $inc: { n: 1 } })).toBeNull();
    const raw = await f.db.command({
      findAndModify: 'claims',
      query: { _id: 7 },
      update: { $set: { n: 0 } },
      new: true,
    });
    expect(raw.lastErrorObject).toEqual({ n: 1, updatedExisting: true });
    expect(raw.value).toEqual({ _id: 7, n: 0, tags: ['a', 'b'] });
  });
});

// findAndModify through findOneAndUpdate / findOneAndDelete / findOneAndReplace: before/after
// images, upsert, sort choosing the document, projection, and the raw reply's lastErrorObject.
import { beforeEach, describe, expect, it } from 'vitest';
import { core, errorOf, useStore } from './store-fixture.js';

const f = useStore('find_and_modify');
const c = () => f.coll('fam');

describe('store conformance: findAndModify', () => {
  beforeEach(async () => {
    await c().deleteMany({});
    await c().insertMany([
      { _id: 1, q: 'jobs', prio: 2, state: 'ready' },
      { _id: 2, q: 'jobs', prio: 9, state: 'ready' },
      { _id: 3, q: 'jobs', prio: 5, state: 'ready' },
    ]);
  });

  it('returns the document before the update by default and after it with returnDocument "after"', async () => {
    const before = await c().findOneAndUpdate({ _id: 1 }, { $set: { state: 'taken' } });
    expect(before).toEqual({ _id: 1, q: 'jobs', prio: 2, state: 'ready' });
    const after = await c().findOneAndUpdate(
      { _id: 1 },
      { $set: { state: 'done' } },
      { returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 1, q: 'jobs', prio: 2, state: 'done' });
    expect(await c().findOneAndUpdate({ _id: 42 }, { $set: { x: 1 } })).toBeNull();
  });

  it('sort picks which matching document is claimed; projection shapes the result', async () => {
    const claimed = await c().findOneAndUpdate(
      { q: 'jobs', state: 'ready' },
      { $set: { state: 'taken' } },
      { sort: { prio: -1 }, projection: { _id: 1, state: 1 }, returnDocument: 'after' },
    );
    expect(claimed).toEqual({ _id: 2, state: 'taken' });
    const next = await c().findOneAndUpdate(
      { q: 'jobs', state: 'ready' },
      { $set: { state: 'taken' } },
      { sort: { prio: -1 }, projection: { prio: 1, _id: 0 } },
    );
    expect(next).toEqual({ prio: 5 });
  });

  it('upsert with returnDocument "after" creates and returns the seeded document', async () => {
    const made = await c().findOneAndUpdate(
      { q: 'mail', key: 'k1' },
      { $setOnInsert: { tries: 0 }, $set: { state: 'new' } },
      { upsert: true, returnDocument: 'after', projection: { _id: 0 } },
    );
    expect(made).toEqual({ q: 'mail', key: 'k1', tries: 0, state: 'new' });
    const beforeImage = await c().findOneAndUpdate(
      { q: 'mail', key: 'k2' },
      { $set: { state: 'new' } },
      { upsert: true, returnDocument: 'before' },
    );
    expect(beforeImage).toBeNull();
    expect(await c().countDocuments({ q: 'mail' })).toBe(2);
  });

  it('raw findAndModify reply carries value and lastErrorObject {n, updatedExisting, upserted}', async () => {
    const upd = await f.db.command({
      findAndModify: 'fam',
      query: { _id: 3 },
      update: { $inc: { prio: 1 } },
      new: true,
    });
    expect(core(upd)).toMatchObject({
      ok: 1,
      value: { _id: 3, prio: 6 },
      lastErrorObject: { n: 1, updatedExisting: true },
    });
    const ups = await f.db.command({
      findAndModify: 'fam',
      query: { _id: 10 },
      update: { $set: { q: 'x' } },
      upsert: true,
      new: true,
      fields: { q: 1 },
    });
    expect(core(ups)).toEqual({
      ok: 1,
      value: { _id: 10, q: 'x' },
      lastErrorObject: { n: 1, updatedExisting: false, upserted: 10 },
    });
    const miss = await f.db.command({ findAndModify: 'fam', query: { _id: 99 }, remove: true });
    expect(core(miss)).toMatchObject({ ok: 1, value: null, lastErrorObject: { n: 0 } });
  });

  it('findOneAndDelete removes the chosen document and returns it', async () => {
    const gone = await c().findOneAndDelete({ q: 'jobs' }, { sort: { prio: 1 } });
    expect(gone).toEqual({ _id: 1, q: 'jobs', prio: 2, state: 'ready' });
    expect(await c().countDocuments()).toBe(2);
    expect(await c().findOneAndDelete({ q: 'nothing' })).toBeNull();
  });

  it('findOneAndReplace swaps the body, keeps _id', async () => {
    const after = await c().findOneAndReplace(
      { _id: 3 },
      { fresh: true },
      { returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 3, fresh: true });
  });

  it('includeResultMetadata exposes ok and lastErrorObject through the driver', async () => {
    const res = await c().findOneAndUpdate(
      { _id: 2 },
      { $inc: { prio: 1 } },
      { includeResultMetadata: true, returnDocument: 'after' },
    );
    expect(res.ok).toBe(1);
    expect(res.value).toMatchObject({ _id: 2, prio: 10 });
    expect(res.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
  });

  it('a duplicate key inside findAndModify fails with 11000 and changes nothing', async () => {
    await c().createIndex({ slot: 1 }, { unique: true, sparse: true });
    await c().updateOne({ _id: 1 }, { $set: { slot: 'A' } });
    const err = await errorOf(() => c().findOneAndUpdate({ _id: 2 }, { $set: { slot: 'A' } }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ slot: 'A' });
    expect(await c().findOne({ _id: 2 })).toEqual({ _id: 2, q: 'jobs', prio: 9, state: 'ready' });
    await c().dropIndex('slot_1');
  });
});

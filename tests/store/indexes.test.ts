// Indexes: unique (with MongoDB's exact E11000 reply), compound, sparse, partial and TTL, their
// listing and dropping, mongoose-declared indexes, and that an indexed query does not scan.
import { describe, expect, it } from 'vitest';
import { Schema } from 'mongoose';
import type { Document } from 'mongodb';
import { usingRealMongo } from '../support/store.js';
import { core, errorOf, indexNames, useStore } from './store-fixture.js';

const f = useStore('indexes');

describe('store conformance: indexes', () => {
  it('unique index: duplicate insert fails with code 11000, keyPattern, keyValue and the exact errmsg', async () => {
    const c = f.coll('idx_unique');
    expect(await c.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    await c.insertOne({ email: 'a@x.org' });
    const err = await errorOf(() => c.insertOne({ email: 'a@x.org' }));
    expect(err.name).toBe('MongoServerError');
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.org' });
    expect(err.errmsg).toBe(
      `E11000 duplicate key error collection: ${f.store.dbName}.idx_unique index: email_1 dup key: { email: "a@x.org" }`,
    );
    expect(await c.countDocuments()).toBe(1);
  });

  it('raw insert reply: writeErrors[{index, code, errmsg, keyPattern, keyValue}] with n counting the rest', async () => {
    const name = 'idx_raw';
    await f.coll(name).createIndex({ k: 1 }, { unique: true });
    const unordered = await f.db.command({
      insert: name,
      documents: [{ k: 1 }, { k: 1 }, { k: 2 }, { k: 2 }],
      ordered: false,
    });
    expect(unordered.ok).toBe(1);
    expect(unordered.n).toBe(2);
    const errors = unordered.writeErrors as Document[];
    expect(errors.map((e: Document) => Number(e.index))).toEqual([1, 3]);
    expect(errors[0]).toEqual({
      index: 1,
      code: 11000,
      errmsg: `E11000 duplicate key error collection: ${f.store.dbName}.${name} index: k_1 dup key: { k: 1 }`,
      keyPattern: { k: 1 },
      keyValue: { k: 1 },
    });
    // ordered (the default) stops at the first error
    const ordered = await f.db.command({ insert: name, documents: [{ k: 3 }, { k: 3 }, { k: 4 }] });
    expect(ordered.n).toBe(1);
    expect((ordered.writeErrors as Document[]).map((e) => Number(e.index))).toEqual([1]);
    expect(await f.coll(name).countDocuments()).toBe(3);
  });

  it('duplicate _id is refused by the _id_ index; insertMany raises a bulk error with the write errors', async () => {
    const c = f.coll('idx_id');
    await c.insertOne({ _id: 'x' });
    const single = await errorOf(() => c.insertOne({ _id: 'x' }));
    expect(single.code).toBe(11000);
    expect(single.keyPattern).toEqual({ _id: 1 });
    expect(single.errmsg).toBe(
      `E11000 duplicate key error collection: ${f.store.dbName}.idx_id index: _id_ dup key: { _id: "x" }`,
    );
    const bulk = await errorOf(() => c.insertMany([{ _id: 'y' }, { _id: 'x' }, { _id: 'z' }]));
    expect(bulk.name).toBe('MongoBulkWriteError');
    expect(bulk.code).toBe(11000);
    expect((bulk.result as { insertedCount: number }).insertedCount).toBe(1);
    expect(await c.countDocuments()).toBe(2);
  });

  it('an update that would duplicate a unique key fails and leaves the document unchanged', async () => {
    const c = f.coll('idx_update');
    await c.createIndex({ handle: 1 }, { unique: true });
    await c.insertMany([
      { _id: 1, handle: 'a' },
      { _id: 2, handle: 'b' },
    ]);
    const err = await errorOf(() => c.updateOne({ _id: 2 }, { $set: { handle: 'a' } }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ handle: 'a' });
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, handle: 'b' });
    // the old key is still indexed, the freed key becomes available after a legal change
    await c.updateOne({ _id: 2 }, { $set: { handle: 'c' } });
    await c.insertOne({ handle: 'b' });
    expect(await c.countDocuments({ handle: { $in: ['a', 'b', 'c'] } })).toBe(3);
  });

  it('a unique index cannot be built over existing duplicates (11000) and is then absent', async () => {
    const c = f.coll('idx_build');
    await c.insertMany([{ v: 1 }, { v: 1 }]);
    const err = await errorOf(() => c.createIndex({ v: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    const names = await indexNames(c);
    expect(names).toEqual(['_id_']);
  });

  it('compound unique index: the pair is unique, each part alone is not', async () => {
    const c = f.coll('idx_compound');
    expect(await c.createIndex({ space: 1, user: 1 }, { unique: true })).toBe('space_1_user_1');
    await c.insertMany([
      { space: 's1', user: 'u1' },
      { space: 's1', user: 'u2' },
      { space: 's2', user: 'u1' },
    ]);
    const err = await errorOf(() => c.insertOne({ space: 's1', user: 'u2' }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ space: 1, user: 1 });
    expect(err.keyValue).toEqual({ space: 's1', user: 'u2' });
    expect(err.errmsg).toBe(
      `E11000 duplicate key error collection: ${f.store.dbName}.idx_compound index: space_1_user_1 dup key: { space: "s1", user: "u2" }`,
    );
    // a descending compound index serves a sorted query
    await c.createIndex({ space: 1, at: -1 });
    expect(
      await c.find({ space: 's1' }).sort({ user: -1 }).project({ _id: 0, user: 1 }).toArray(),
    ).toEqual([{ user: 'u2' }, { user: 'u1' }]);
  });

  it('unique without sparse treats missing as null (one allowed); sparse allows many missing', async () => {
    const dense = f.coll('idx_dense');
    await dense.createIndex({ handle: 1 }, { unique: true });
    await dense.insertOne({ a: 1 });
    const err = await errorOf(() => dense.insertOne({ a: 2 }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ handle: null });
    expect(err.errmsg).toBe(
      `E11000 duplicate key error collection: ${f.store.dbName}.idx_dense index: handle_1 dup key: { handle: null }`,
    );

    const sparse = f.coll('idx_sparse');
    await sparse.createIndex({ handle: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ a: 1 }, { a: 2 }, { handle: 'h' }]);
    expect((await errorOf(() => sparse.insertOne({ handle: 'h' }))).code).toBe(11000);
    expect(await sparse.countDocuments()).toBe(3);
    // a sparse index must not hide documents from queries that do not use it
    expect(await sparse.countDocuments({ handle: { $exists: false } })).toBe(2);
  });

  it('partial unique index only constrains documents matching partialFilterExpression', async () => {
    const c = f.coll('idx_partial');
    await c.createIndex(
      { user: 1 },
      { unique: true, partialFilterExpression: { status: 'active' }, name: 'one_active_per_user' },
    );
    await c.insertMany([
      { user: 'u', status: 'revoked' },
      { user: 'u', status: 'revoked' },
      { user: 'u', status: 'active' },
    ]);
    const err = await errorOf(() => c.insertOne({ user: 'u', status: 'active' }));
    expect(err.code).toBe(11000);
    expect(String(err.errmsg)).toContain('index: one_active_per_user');
    // moving a document into the filter is checked too
    const upd = await errorOf(() =>
      c.updateOne({ status: 'revoked' }, { $set: { status: 'active' } }),
    );
    expect(upd.code).toBe(11000);
    expect(await c.countDocuments({ status: 'active' })).toBe(1);
  });

  it('listIndexes describes every index; dropIndexes removes one by name and all but _id_ with "*"', async () => {
    const c = f.coll('idx_list');
    await c.createIndexes([
      { key: { a: 1 }, unique: true, sparse: true },
      { key: { b: 1, c: -1 }, name: 'b_c' },
      { key: { at: 1 }, expireAfterSeconds: 3600 },
      { key: { d: 1 }, partialFilterExpression: { d: { $exists: true } } },
    ]);
    const byName = new Map(
      ((await c.listIndexes().toArray()) as Document[]).map((i) => [String(i.name), i]),
    );
    expect([...byName.keys()].sort()).toEqual(['_id_', 'a_1', 'at_1', 'b_c', 'd_1']);
    expect(byName.get('_id_')).toMatchObject({ key: { _id: 1 }, v: 2 });
    expect(byName.get('a_1')).toMatchObject({ key: { a: 1 }, unique: true, sparse: true });
    expect(byName.get('b_c')).toMatchObject({ key: { b: 1, c: -1 } });
    expect(byName.get('at_1')).toMatchObject({ key: { at: 1 }, expireAfterSeconds: 3600 });
    expect(byName.get('d_1')).toMatchObject({ partialFilterExpression: { d: { $exists: true } } });
    // creating the same index again is a no-op
    await c.createIndex({ b: 1, c: -1 }, { name: 'b_c' });
    await c.dropIndex('b_c');
    expect(await indexNames(c)).toEqual(['_id_', 'a_1', 'at_1', 'd_1']);
    const missing = await errorOf(() => c.dropIndex('nope'));
    expect(missing.code).toBe(27);
    expect(missing.codeName).toBe('IndexNotFound');
    await c.dropIndexes();
    expect(await indexNames(c)).toEqual(['_id_']);
  });

  it('listIndexes on a missing collection is code 26 NamespaceNotFound', async () => {
    const err = await errorOf(() => f.coll('idx_never_created').listIndexes().toArray());
    expect(err.code).toBe(26);
    expect(err.codeName).toBe('NamespaceNotFound');
  });

  it('mongoose schema indexes are created by syncIndexes and enforced (E11000 through a model)', async () => {
    const conn = await f.mongoose();
    const schema = new Schema({
      email: { type: String, unique: true },
      space: String,
      user: String,
    });
    schema.index({ space: 1, user: 1 }, { unique: true });
    const Membership = conn.model('IdxMembership', schema, 'idx_memberships');
    await Membership.syncIndexes();
    const names = (await Membership.listIndexes()).map((i: { name?: string }) => i.name).sort();
    expect(names).toEqual(['_id_', 'email_1', 'space_1_user_1']);
    await Membership.create({ email: 'a@x.org', space: 's', user: 'u' });
    const err = await errorOf(() => Membership.create({ email: 'b@x.org', space: 's', user: 'u' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ space: 's', user: 'u' });
    expect(await Membership.countDocuments()).toBe(1);
  });

  it('a query on an indexed field examines only the matching documents (explain executionStats)', async () => {
    const c = f.coll('idx_explain');
    await c.createIndex({ code: 1 });
    await c.insertMany(Array.from({ length: 3_000 }, (_, i) => ({ code: `c${i}`, other: i })));
    const plan = await c.find({ code: 'c1234' }).explain('executionStats');
    const stats = plan.executionStats as Document;
    expect(stats.nReturned).toBe(1);
    expect(stats.totalDocsExamined).toBe(1);
    expect(JSON.stringify(plan.queryPlanner)).toContain('IXSCAN');
    // and an unindexed field does scan: the number is real, not a constant
    const scan = await c.find({ other: 1234 }).explain('executionStats');
    expect((scan.executionStats as Document).totalDocsExamined).toBe(3_000);
  });

  it('the outbox poll ($elemMatch on an array of subdocuments) examines only pending documents', async () => {
    const c = f.coll('idx_outbox');
    await c.createIndex({ 'outbox._id': 1 });
    await c.insertMany(
      Array.from({ length: 2_000 }, (_, i) => ({
        n: i,
        outbox: i % 500 === 0 ? [{ _id: `evt-${i}`, type: 'x' }] : [],
      })),
    );
    const poll = { outbox: { $elemMatch: { _id: { $type: 'string' } } } };
    const plan = await c.find(poll).explain('executionStats');
    const stats = plan.executionStats as Document;
    expect(stats.nReturned).toBe(4);
    expect(stats.totalDocsExamined).toBe(4);
    expect(JSON.stringify(plan.queryPlanner)).toContain('IXSCAN');
  });

  it(
    'TTL index removes expired documents and keeps live ones',
    { timeout: 30_000 },
    async (ctx) => {
      const c = f.coll('idx_ttl');
      await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await c.createIndex({ createdAt: 1 }, { expireAfterSeconds: 1 });
      const past = new Date(Date.now() - 60_000);
      const future = new Date(Date.now() + 3_600_000);
      await c.insertMany([
        { _id: 'expired', expiresAt: past },
        { _id: 'live', expiresAt: future },
        { _id: 'not-a-date', expiresAt: 'tomorrow' },
        { _id: 'young-then-old', createdAt: new Date() },
        { _id: 'array-min', expiresAt: [future, past] },
      ]);
      expect(core(await f.db.command({ ping: 1 }))).toEqual({ ok: 1 });
      if (usingRealMongo) {
        ctx.skip(
          'MONGO_URL is set: real MongoDB runs its TTL monitor every 60 s, too slow for this suite; the index itself was accepted',
        );
      }
      const deadline = Date.now() + 10_000;
      let ids: string[] = [];
      while (Date.now() < deadline) {
        ids = (await c.find({}, { sort: { _id: 1 } }).toArray()).map(
          (d) => d._id as unknown as string,
        );
        if (ids.length === 2) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(ids).toEqual(['live', 'not-a-date']);
    },
  );
});

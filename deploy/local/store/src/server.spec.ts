import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Double, MongoClient, MongoServerError, type Db } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStore, type RunningStore } from './server.js';

// Smoke test: the real server on a free port, driven by the official driver and by mongoose.
describe('store server with the mongodb driver and mongoose', () => {
  let dbpath: string;
  let store: RunningStore;
  let client: MongoClient;
  let db: Db;
  const lines: string[] = [];

  beforeAll(async () => {
    dbpath = mkdtempSync(join(tmpdir(), 'agora-store-spec-'));
    store = await startStore({ port: 0, dbpath, logger: (l) => lines.push(l) });
    client = await MongoClient.connect(store.url, { serverSelectionTimeoutMS: 3000 });
    db = client.db('spec');
  });

  afterAll(async () => {
    await client?.close();
    await store?.close();
    rmSync(dbpath, { recursive: true, force: true });
  });

  it('answers the handshake as a standalone server with the agreed limits', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.setName).toBeUndefined();
    expect(hello.topologyVersion).toBeUndefined();
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(store.address).toBe(`mongodb://127.0.0.1:${store.port}`);
    expect(store.url).toMatch(
      new RegExp(`^mongodb://agora:[\\w-]{20,}@127\\.0\\.0\\.1:${store.port}/\\?authSource=admin$`),
    );
  });

  it('pulls each document’s own entries when one updateMany names the entries of many', async () => {
    // The relay's pull: one condition (`$in` of every entry id) over many documents, each holding
    // some of those entries and some others.
    const c = db.collection<{ _id: string; n: number; outbox: { _id: string }[] }>('pulls');
    const docs = Array.from({ length: 120 }, (_, i) => ({
      _id: `d${i}`,
      n: i,
      outbox: [{ _id: `e${i}-sent` }, { _id: `e${i}-kept` }, { _id: `e${i}-sent-too` }],
    }));
    await c.insertMany(docs);
    const sent = docs.flatMap((d) => [`e${d.n}-sent`, `e${d.n}-sent-too`]);
    const res = await c.updateMany(
      { _id: { $in: docs.map((d) => d._id) } },
      { $pull: { outbox: { _id: { $in: sent } } }, $inc: { n: 1000 } },
    );
    expect(res.modifiedCount).toBe(120);
    const after = await c.find({}).sort({ n: 1 }).toArray();
    expect(after).toEqual(
      docs.map((d) => ({ _id: d._id, n: d.n + 1000, outbox: [{ _id: `e${d.n}-kept` }] })),
    );
    // Again: nothing of the condition is left, so nothing changes.
    const again = await c.updateMany({}, { $pull: { outbox: { _id: { $in: sent } } } });
    expect(again.modifiedCount).toBe(0);
  });

  it('inserts many and reads them back across getMore batches', async () => {
    const c = db.collection('many');
    const docs = Array.from({ length: 250 }, (_, i) => ({ i, even: i % 2 === 0 }));
    const res = await c.insertMany(docs);
    expect(res.insertedCount).toBe(250);
    const all = await c.find({}, { batchSize: 40 }).sort({ i: 1 }).toArray();
    expect(all.map((d) => d.i as number)).toEqual(docs.map((d) => d.i));
    expect(await c.countDocuments({ even: true })).toBe(125);
    const raw = (await db.command({ find: 'many', filter: {} })) as {
      cursor: { firstBatch: unknown[]; id: mongoose.mongo.Long };
    };
    expect(raw.cursor.firstBatch).toHaveLength(101);
    expect(raw.cursor.id).toBeInstanceOf(mongoose.mongo.Long);
    expect(raw.cursor.id.toString()).not.toBe('0');
  });

  it('upserts with $setOnInsert, updates and findOneAndUpdate', async () => {
    const c = db.collection('up');
    const r1 = await c.updateOne(
      { key: 'a' },
      { $set: { v: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(r1.upsertedCount).toBe(1);
    expect(r1.matchedCount).toBe(0);
    const r2 = await c.updateOne(
      { key: 'a' },
      { $set: { v: 2 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(r2.matchedCount).toBe(1);
    expect(r2.modifiedCount).toBe(1);
    expect(await c.findOne({ key: 'a' }, { projection: { _id: 0 } })).toEqual({
      key: 'a',
      v: 2,
      created: true,
    });
    const after = await c.findOneAndUpdate(
      { key: 'a' },
      { $inc: { v: 10 } },
      { returnDocument: 'after' },
    );
    expect(after?.v).toBe(12);
  });

  it("counts documents (the driver's $match/$skip/$limit/$group pipeline) without surprises", async () => {
    const c = db.collection('many');
    expect(await c.countDocuments({ i: { $gte: 200 } })).toBe(50);
    expect(await c.countDocuments({ i: { $gte: 200 } }, { skip: 45 })).toBe(5);
    expect(await c.countDocuments({}, { skip: 10, limit: 7 })).toBe(7);
    expect(await c.countDocuments({ i: -1 })).toBe(0);
    expect(await db.collection('absent').countDocuments()).toBe(0);
    const grouped = await c
      .aggregate([{ $match: { i: { $lt: 3 } } }, { $group: { _id: 'all', total: { $sum: 1 } } }])
      .toArray();
    expect(grouped).toEqual([{ _id: 'all', total: 3 }]);
  });

  it('applies the filter checks to every $match of a pipeline', async () => {
    const c = db.collection('many');
    await expect(
      c.aggregate([{ $match: {} }, { $match: { $where: 'true' } }]).toArray(),
    ).rejects.toMatchObject({ code: 115, message: expect.stringContaining('$where') as unknown });
    await expect(
      c.aggregate([{ $facet: { a: [{ $match: { t: { $near: [0, 0] } } }] } }]).toArray(),
    ).rejects.toMatchObject({ code: 115 });
    await expect(
      c.aggregate([{ $skip: 1 }, { $match: { i: { $frob: 1 } } }]).toArray(),
    ).rejects.toMatchObject({
      code: 2,
      message: expect.stringContaining('$frob') as unknown,
    });
  });

  it('aggregates with $match/$group/$sort', async () => {
    const out = await db
      .collection('many')
      .aggregate([
        { $match: { i: { $lt: 10 } } },
        { $group: { _id: '$even', n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { _id: false, n: 5 },
      { _id: true, n: 5 },
    ]);
  });

  it('enforces a unique index with the exact E11000 reply', async () => {
    const c = db.collection('users');
    await c.createIndex({ name: 1 }, { unique: true });
    await c.insertOne({ name: 'x' });
    const err = await c.insertOne({ name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    const e = err as MongoServerError;
    expect(e.code).toBe(11000);
    expect(e.message).toBe(
      'E11000 duplicate key error collection: spec.users index: name_1 dup key: { name: "x" }',
    );
    expect(e.keyPattern).toEqual({ name: 1 });
    expect(e.keyValue).toEqual({ name: 'x' });
    expect(await c.countDocuments()).toBe(1);
  });

  it('refuses unknown commands, unknown cursors and transactions with MongoDB-shaped errors', async () => {
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
    await expect(
      db.command({ getMore: mongoose.mongo.Long.fromNumber(12345), collection: 'many' }),
    ).rejects.toMatchObject({ code: 43 });
    await expect(
      db.command({
        insert: 'tx',
        documents: [{ a: 1 }],
        startTransaction: true,
        autocommit: false,
      }),
    ).rejects.toMatchObject({
      code: 20,
      codeName: 'IllegalOperation',
      message: expect.stringContaining('transactions are not supported') as unknown,
    });
    expect(await db.collection('tx').countDocuments()).toBe(0);
  });

  it('runs a mongoose model with timestamps: create, findById, findOneAndUpdate upsert', async () => {
    const conn = await mongoose
      .createConnection(store.url, { dbName: 'spec_mongoose', serverSelectionTimeoutMS: 3000 })
      .asPromise();
    try {
      const schema = new mongoose.Schema(
        {
          email: { type: String, unique: true },
          name: String,
          role: { type: String, default: 'member' },
        },
        { timestamps: true },
      );
      const User = conn.model('User', schema);
      await User.init();
      const u = await User.create({ email: 'a@x', name: 'A' });
      const found = await User.findById(u._id).lean();
      expect(found?.email).toBe('a@x');
      expect(found?.createdAt).toBeInstanceOf(Date);
      const up = await User.findOneAndUpdate(
        { email: 'b@x' },
        { $set: { name: 'B' } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      expect(up?.name).toBe('B');
      expect(up?.role).toBe('member');
      expect(up?.createdAt).toBeInstanceOf(Date);
      expect(up?.__v).toBe(0);
      await expect(User.create({ email: 'a@x' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await conn.close();
    }
  });

  it('closes a connection that sends a malformed frame, logs one line, and keeps serving others', async () => {
    const before = lines.length;
    const socket = connect(store.port, '127.0.0.1');
    await once(socket, 'connect');
    const garbage = Buffer.alloc(32, 0xab);
    garbage.writeInt32LE(32, 0);
    garbage.writeInt32LE(2013, 12); // OP_MSG with nonsense sections
    socket.write(garbage);
    await once(socket, 'close');
    const logged = lines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/closing connection \d+: malformed message/);
    expect((await db.command({ ping: 1 })).ok).toBe(1);
  });

  it('refuses a document over 16 MiB, stores nothing and stays up', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024);
    const err = await db
      .collection('big')
      .insertOne({ big })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await db.collection('big').countDocuments()).toBe(0);
    expect((await db.command({ ping: 1 })).ok).toBe(1);
  });

  it('answers an over-large aggregation result with an error, not a dropped connection', async () => {
    const c = db.collection('wide');
    const chunk = 'y'.repeat(9 * 1024 * 1024);
    await c.insertMany([{ chunk }, { chunk }]);
    await expect(
      c.aggregate([{ $group: { _id: null, all: { $push: '$chunk' } } }]).toArray(),
    ).rejects.toMatchObject({ code: 10334 });
    // Large documents come back in batches that each fit the 16 MiB limit.
    expect(await c.find({}).toArray()).toHaveLength(2);
    expect((await db.command({ ping: 1 })).ok).toBe(1);
  });

  it('keeps acknowledged writes across a restart on the same dbpath', async () => {
    // a double as the driver sends it: stored and answered as its bytes, before and after replay
    const raw = () =>
      db
        .collection<{ _id: string; n: Double }>('raw')
        .findOne({ _id: 'dbl' }, { promoteValues: false });
    await db
      .collection<{ _id: string; n: Double }>('raw')
      .insertOne({ _id: 'dbl', n: new Double(5) });
    expect((await raw())?.n).toBeInstanceOf(Double);
    await client.close();
    await store.close();
    store = await startStore({ port: 0, dbpath, logger: (l) => lines.push(l) });
    client = await MongoClient.connect(store.url, { serverSelectionTimeoutMS: 3000 });
    db = client.db('spec');
    expect(await db.collection('many').countDocuments()).toBe(250);
    expect((await db.collection('up').findOne({ key: 'a' }))?.v).toBe(12);
    expect((await raw())?.n).toEqual(new Double(5));
    expect((await raw())?.n).toBeInstanceOf(Double);
    const indexes = await db.collection('users').listIndexes().toArray();
    expect(indexes.map((i) => (i as { name: string }).name)).toEqual(['_id_', 'name_1']);
    await expect(db.collection('users').insertOne({ name: 'x' })).rejects.toMatchObject({
      code: 11000,
    });
  });
});

describe('store start-up', () => {
  it('refuses a second store on the same dbpath, frees it on close, and takes over a stale lock', async () => {
    const dbpath = mkdtempSync(join(tmpdir(), 'agora-store-lock-'));
    try {
      const first = await startStore({ port: 0, dbpath, logger: () => {} });
      await expect(startStore({ port: 0, dbpath, logger: () => {} })).rejects.toThrow(
        /in use by another agora-store/,
      );
      await first.close();
      // A lock left by a process that no longer exists (kill -9) is taken over.
      writeFileSync(join(dbpath, 'agora-store.lock'), '2147483646');
      const second = await startStore({ port: 0, dbpath, logger: () => {} });
      await second.close();
    } finally {
      rmSync(dbpath, { recursive: true, force: true });
    }
  });

  it('frees the dbpath when the port is taken', async () => {
    const dbpath = mkdtempSync(join(tmpdir(), 'agora-store-port-'));
    const other = mkdtempSync(join(tmpdir(), 'agora-store-port-'));
    const holder = await startStore({ port: 0, dbpath: other, logger: () => {} });
    try {
      await expect(
        startStore({ port: holder.port, dbpath, logger: () => {} }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const retry = await startStore({ port: 0, dbpath, logger: () => {} });
      await retry.close();
    } finally {
      await holder.close();
      rmSync(dbpath, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});

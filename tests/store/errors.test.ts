// Handshake and administrative replies, and MongoDB-shaped errors (code, codeName, errmsg)
// for misuse that both the embedded store and MongoDB reject.
import { describe, expect, it } from 'vitest';
import { Long, MongoClient, type Document } from 'mongodb';
import { core, errorOf, useStore } from './store-fixture.js';

const f = useStore('errors');

describe('store conformance: handshake, admin commands and error shapes', () => {
  it('hello / legacy ismaster advertise a usable server (maxWireVersion >= 9, sizes, no topologyVersion streaming)', async () => {
    const hello = await f.client.db('admin').command({ hello: 1 });
    expect(hello.ok).toBe(1);
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.maxMessageSizeBytes).toBeGreaterThanOrEqual(hello.maxBsonObjectSize as number);
    expect(hello.maxWriteBatchSize).toBeGreaterThanOrEqual(1000);
    expect(hello.localTime).toBeInstanceOf(Date);
    const legacy = await f.client.db('admin').command({ ismaster: 1 });
    expect(legacy.ismaster).toBe(true);
  });

  it('ping, buildInfo and listDatabases answer', async () => {
    expect(core(await f.db.command({ ping: 1 }))).toEqual({ ok: 1 });
    const info = await f.client.db('admin').command({ buildInfo: 1 });
    expect(info.ok).toBe(1);
    expect(typeof info.version).toBe('string');
    expect(Array.isArray(info.versionArray)).toBe(true);
    await f.coll('listed').insertOne({ a: 1 });
    const dbs = await f.client.db('admin').admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(f.store.dbName);
  });

  it('several clients on separate connections see each other’s acknowledged writes at once', async () => {
    const other = new MongoClient(f.store.url, { maxPoolSize: 1 });
    try {
      await other.connect();
      const mine = f.coll('shared');
      const theirs = other.db(f.store.dbName).collection('shared');
      for (let i = 0; i < 20; i += 1) {
        await mine.insertOne({ i });
        expect(await theirs.countDocuments()).toBe(i + 1);
      }
    } finally {
      await other.close();
    }
  });

  it('unknown query operator → 2 BadValue naming the operator', async () => {
    const err = await errorOf(() =>
      f
        .coll('e')
        .find({ a: { $frob: 1 } })
        .toArray(),
    );
    expect(err.code).toBe(2);
    expect(err.codeName).toBe('BadValue');
    expect(String(err.errmsg)).toContain('unknown operator: $frob');
  });

  it('unknown top-level operator in a filter → 2 BadValue', async () => {
    const err = await errorOf(() =>
      f
        .coll('e')
        .find({ $frob: [{ a: 1 }] })
        .toArray(),
    );
    expect(err.code).toBe(2);
    expect(String(err.errmsg)).toContain('$frob');
  });

  it('creating an existing collection → 48 NamespaceExists', async () => {
    await f.db.createCollection('twice');
    const err = await errorOf(() => f.db.createCollection('twice'));
    expect(err.code).toBe(48);
    expect(err.codeName).toBe('NamespaceExists');
  });

  it('a command sent to a missing collection reads as empty, not an error', async () => {
    const c = f.coll('never_made');
    expect(await c.find({}).toArray()).toEqual([]);
    expect(await c.countDocuments()).toBe(0);
    expect(await c.distinct('x')).toEqual([]);
    expect(await c.aggregate([{ $match: {} }]).toArray()).toEqual([]);
    expect((await c.deleteMany({})).deletedCount).toBe(0);
    expect((await c.updateMany({}, { $set: { a: 1 } })).matchedCount).toBe(0);
  });

  it('a document over 16 MiB is refused and the connection keeps working', async () => {
    const c = f.coll('big');
    const big = { blob: 'x'.repeat(16 * 1024 * 1024 + 16) };
    const err = await errorOf(() => c.insertOne(big));
    expect(err).toBeInstanceOf(Error);
    expect(await c.countDocuments()).toBe(0);
    const justUnder = { blob: 'y'.repeat(15 * 1024 * 1024) };
    await c.insertOne(justUnder);
    expect(await c.countDocuments()).toBe(1);
    await c.deleteMany({});
  });

  it('int64 cursor ids and Long values round-trip without loss', async () => {
    const c = f.coll('longs');
    const big = Long.fromString('9007199254740993');
    await c.insertOne({ _id: 1, big });
    const back = await c.findOne({ _id: 1 } as Document, { promoteLongs: false });
    expect((back?.big as Long).toString()).toBe('9007199254740993');
  });
});

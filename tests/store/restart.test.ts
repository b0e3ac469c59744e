// Everything survives a restart, clean (SIGTERM) or not (SIGKILL): documents with their BSON
// types, collections, indexes with their options (unique still enforced, TTL still expiring),
// and drops stay dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal128, Long, MongoClient, ObjectId, type Document } from 'mongodb';
import { startTestStore, usingRealMongo, type TestStore } from '../support/store.js';

describe.skipIf(usingRealMongo)(
  'store durability: restart keeps data, collections and indexes [embedded store only: needs to kill or inspect the store process]',
  () => {
    let store: TestStore;
    const oid = new ObjectId();
    const when = new Date('2026-05-01T10:00:00.123Z');

    beforeAll(async () => {
      store = await startTestStore({ name: 'restart' });
    });
    afterAll(async () => {
      await store?.stop();
    });

    async function session<T>(fn: (db: ReturnType<MongoClient['db']>) => Promise<T>): Promise<T> {
      const client = new MongoClient(store.url, { serverSelectionTimeoutMS: 5_000 });
      try {
        await client.connect();
        return await fn(client.db(store.dbName));
      } finally {
        await client.close();
      }
    }

    async function snapshot(): Promise<Document> {
      return session(async (db) => {
        const collections = (await db.listCollections().toArray()).map((c) => c.name).sort();
        const indexes: Record<string, Document[]> = {};
        for (const name of collections) {
          indexes[name] = ((await db.collection(name).listIndexes().toArray()) as Document[])
            .map(({ v: _v, ...rest }) => rest)
            .sort((a, b) => String(a.name).localeCompare(String(b.name)));
        }
        const typed = await db
          .collection('typed')
          .findOne({ _id: 1 } as Document, { promoteLongs: false });
        const users = await db
          .collection('users')
          .find({}, { sort: { email: 1 } })
          .toArray();
        return { collections, indexes, typed, users };
      });
    }

    it('survives SIGTERM and SIGKILL restarts identically', { timeout: 60_000 }, async () => {
      await session(async (db) => {
        await db.collection('users').createIndex({ email: 1 }, { unique: true });
        await db.collection('users').createIndex({ team: 1, at: -1 }, { name: 'team_recent' });
        await db
          .collection('users')
          .createIndex(
            { nick: 1 },
            { unique: true, partialFilterExpression: { nick: { $exists: true } } },
          );
        await db.collection('sessions').createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
        await db.collection('users').insertMany([
          { email: 'a@x.org', team: 't1', at: when },
          { email: 'b@x.org', team: 't1', nick: 'bee' },
        ]);
        await db.collection('typed').insertOne({
          _id: 1,
          oid,
          when,
          long: Long.fromString('9007199254740993'),
          dec: Decimal128.fromString('12.50'),
          nested: { arr: [1, 'two', { three: 3 }], nul: null },
          bin: Buffer.from([1, 2, 3]),
        } as Document);
        await db.createCollection('dropped');
        await db.collection('dropped').drop();
        await db.collection('users').createIndex({ temp: 1 });
        await db.collection('users').dropIndex('temp_1');
        await db.collection('users').updateOne({ email: 'a@x.org' }, { $set: { nick: 'ay' } });
        await db.collection('users').deleteOne({ email: 'nobody' });
      });
      const before = await snapshot();
      expect(before.collections).toEqual(['sessions', 'typed', 'users']);

      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        await store.kill(signal);
        await store.restart();
        const after = await snapshot();
        expect(after, `after ${signal}`).toEqual(before);
        await session(async (db) => {
          // the unique and partial-unique indexes are enforced after the restart, not just listed
          await expect(
            db.collection('users').insertOne({ email: 'a@x.org' }),
          ).rejects.toMatchObject({ code: 11000 });
          await expect(
            db.collection('users').insertOne({ email: `n-${signal}@x.org`, nick: 'bee' }),
          ).rejects.toMatchObject({
            code: 11000,
          });
          await db.collection('users').insertOne({ email: `ok-${signal}@x.org` });
          await db.collection('users').deleteOne({ email: `ok-${signal}@x.org` });
        });
      }

      // the TTL index still expires documents after the restarts
      await session(async (db) => {
        await db
          .collection('sessions')
          .insertOne({ _id: 's', expiresAt: new Date(Date.now() - 1_000) } as Document);
        const deadline = Date.now() + 10_000;
        while ((await db.collection('sessions').countDocuments()) > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(await db.collection('sessions').countDocuments()).toBe(0);
      });
    });

    it('refuses a second store on the same dbpath and keeps serving from the first', async () => {
      await session(async (db) => {
        await db.collection('lock_probe').insertOne({ _id: 1 } as Document);
      });
      const second = startTestStore({
        name: 'restart_twin',
        dbpath: store.dbpath,
        startTimeoutMs: 15_000,
      });
      await expect(second).rejects.toThrow(/in use|lock/i);
      await session(async (db) => {
        expect(await db.collection('lock_probe').countDocuments()).toBe(1);
        await db.collection('lock_probe').insertOne({ _id: 2 } as Document);
      });
    });
  },
);

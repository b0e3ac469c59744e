// Authentication through the official driver and mongoose: without credentials a command gets
// mongod's "requires authentication" (13), a wrong password AuthenticationFailed (18), the right
// ones work. Runs against MONGO_URL too when that URL carries credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, MongoServerError } from 'mongodb';
import mongoose from 'mongoose';
import { startTestStore, usingRealMongo, type TestStore } from '../support/store.js';

const hasCredentials =
  !usingRealMongo || /^mongodb(\+srv)?:\/\/[^/@]+@/.test(process.env.MONGO_URL ?? '');

/** The store's URL with another password. */
function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

async function serverError(fn: () => Promise<unknown>): Promise<MongoServerError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof MongoServerError) return err;
    throw err;
  }
  throw new Error('expected the server to refuse, but it answered');
}

describe.skipIf(!hasCredentials)(
  'store authentication [with MONGO_URL: only when that URL carries credentials]',
  () => {
    let store: TestStore;

    beforeAll(async () => {
      store = await startTestStore({ name: 'auth' });
    });
    afterAll(async () => {
      await store?.stop();
    });

    it('refuses a driver without credentials with "requires authentication" (13)', async () => {
      const client = new MongoClient(store.anonymousUrl, { serverSelectionTimeoutMS: 5_000 });
      try {
        await client.connect();
        const err = await serverError(() =>
          client.db(store.dbName).collection('people').findOne({}),
        );
        expect({ code: err.code, codeName: err.codeName }).toEqual({
          code: 13,
          codeName: 'Unauthorized',
        });
        expect(err.message).toMatch(/requires authentication/);
        const insert = await serverError(() =>
          client.db(store.dbName).collection('people').insertOne({ email: 'x@y' }),
        );
        expect(insert.code).toBe(13);
      } finally {
        await client.close();
      }
    });

    it('refuses a wrong password with AuthenticationFailed (18)', async () => {
      const client = new MongoClient(withPassword(store.url, 'certainly-not-the-password'), {
        serverSelectionTimeoutMS: 5_000,
      });
      try {
        const err = await serverError(() => client.connect());
        expect({ code: err.code, codeName: err.codeName }).toEqual({
          code: 18,
          codeName: 'AuthenticationFailed',
        });
      } finally {
        await client.close();
      }
    });

    it('serves the driver and mongoose with the credentials in a user:pass@ URL', async () => {
      expect(store.url).toMatch(/^mongodb(\+srv)?:\/\/[^/@]+:[^/@]+@/);
      const client = new MongoClient(store.url, { serverSelectionTimeoutMS: 5_000 });
      try {
        await client.connect();
        const people = client.db(store.dbName).collection('people');
        await people.insertOne({ email: 'a@b' });
        expect(await people.countDocuments()).toBe(1);
      } finally {
        await client.close();
      }
      const conn = await mongoose
        .createConnection(store.url, { dbName: store.dbName, serverSelectionTimeoutMS: 5_000 })
        .asPromise();
      try {
        const Person = conn.model('Person', new mongoose.Schema({ email: String }), 'people');
        await Person.create({ email: 'c@d' });
        expect((await Person.find().sort({ email: 1 }).lean()).map((p) => p.email)).toEqual([
          'a@b',
          'c@d',
        ]);
      } finally {
        await conn.close();
      }
    });
  },
);

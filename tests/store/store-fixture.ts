// Per-file fixture for the conformance suite: one store (embedded or MONGO_URL), one driver
// client and the suite's database, created in beforeAll and torn down in afterAll.
import { afterAll, beforeAll } from 'vitest';
import { MongoClient, type Collection, type Db, type Document, type ObjectId } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { startTestStore, usingRealMongo, type TestStore } from '../support/store.js';

/** Documents whose _id may be any BSON value (the suite uses numbers and strings, not only ObjectIds). */
export interface AnyDoc extends Document {
  _id?: number | string | ObjectId;
}

export interface StoreFixture {
  store: TestStore;
  client: MongoClient;
  db: Db;
  /** A collection of the suite's database, typed loosely so tests can use any _id type. */
  coll(name: string): Collection<AnyDoc>;
  /** A mongoose connection to the same database (opened lazily, closed in afterAll). */
  mongoose(): Promise<Connection>;
}

/** Reason printed for tests that only make sense against the embedded store. */
export const embeddedOnly = usingRealMongo
  ? 'MONGO_URL is set: this checks an embedded-store refusal/limit that real MongoDB does not have'
  : '';

export function useStore(name: string): StoreFixture {
  const fixture = {} as StoreFixture;
  let connection: Connection | undefined;
  beforeAll(async () => {
    fixture.store = await startTestStore({ name });
    fixture.client = new MongoClient(fixture.store.url, { serverSelectionTimeoutMS: 10_000 });
    await fixture.client.connect();
    fixture.db = fixture.client.db(fixture.store.dbName);
    fixture.coll = (collectionName) => fixture.db.collection<AnyDoc>(collectionName);
    fixture.mongoose = async () => {
      connection ??= mongoose.createConnection(fixture.store.url, {
        dbName: fixture.store.dbName,
        serverSelectionTimeoutMS: 10_000,
        autoIndex: false,
      });
      await connection.asPromise();
      return connection;
    };
  });
  afterAll(async () => {
    await connection?.close();
    await fixture.client?.close();
    await fixture.store?.stop();
  });
  return fixture;
}

/** Runs `fn` and returns the error it throws (fails the test when it does not throw). */
export async function errorOf(
  fn: () => Promise<unknown>,
): Promise<Record<string, unknown> & Error> {
  try {
    await fn();
  } catch (err) {
    return err as Record<string, unknown> & Error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/** A raw command reply without the fields a replica set adds (so shapes compare on both). */
export function core(reply: Record<string, unknown>): Record<string, unknown> {
  const out = { ...reply };
  for (const key of ['$clusterTime', 'operationTime', 'electionId', 'opTime']) delete out[key];
  return out;
}

/** Names of a collection's indexes, sorted. */
export async function indexNames(c: Collection<AnyDoc>): Promise<string[]> {
  const list = (await c.listIndexes().toArray()) as Document[];
  return list.map((i) => String(i.name)).sort();
}

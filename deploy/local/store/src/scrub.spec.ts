import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startStore, type RunningStore } from './server.js';

// Erasure: what a write deletes or overwrites must leave the dbpath soon (a compaction rewrites
// the state and removes the old journal), also when the store is stopped right after.

/** Test documents with number ids. */
interface Doc extends Document {
  _id: number;
}

const marker = (what: string) => `marker-${what}-${randomBytes(6).toString('hex')}`;

/** The markers found in any file under `dir`. */
function onDisk(dir: string, markers: string[]): string[] {
  const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)));
  return markers.filter((m) => files.some((f) => f.includes(m)));
}

describe('the journal forgets what was erased', () => {
  let dbpath: string;
  let store: RunningStore | undefined;
  let client: MongoClient | undefined;

  const open = async (scrubAfterMs: number) => {
    store = await startStore({ port: 0, dbpath, scrubAfterMs, logger: () => {} });
    client = await MongoClient.connect(store.url);
    return client.db('erasure');
  };

  afterEach(async () => {
    await client?.close();
    await store?.close();
    client = undefined;
    store = undefined;
    rmSync(dbpath, { recursive: true, force: true });
  });

  it('removes deleted documents, unset and overwritten fields and dropped collections from disk', async () => {
    dbpath = mkdtempSync(join(tmpdir(), 'agora-store-scrub-'));
    const db = await open(300);
    const m = {
      deleted: marker('deleted'),
      unset: marker('unset'),
      overwritten: marker('overwritten'),
      replaced: marker('replaced'),
      dropped: marker('dropped'),
      removedByFindAndModify: marker('fam'),
      kept: marker('kept'),
      newValue: marker('new'),
    };
    const people = db.collection<Doc>('people');
    await people.insertMany([
      { _id: 1, email: m.deleted },
      { _id: 2, email: 'a@b', bio: m.unset },
      { _id: 3, name: m.overwritten },
      { _id: 4, name: m.replaced },
      { _id: 5, name: m.removedByFindAndModify },
      { _id: 6, name: m.kept },
    ]);
    await db.collection('temp').insertOne({ secret: m.dropped });
    expect(onDisk(dbpath, Object.values(m))).toEqual(
      Object.values(m).filter((v) => v !== m.newValue),
    );

    await people.deleteOne({ _id: 1 });
    await people.updateOne({ _id: 2 }, { $unset: { bio: '' } });
    await people.updateOne({ _id: 3 }, { $set: { name: m.newValue } });
    await people.replaceOne({ _id: 4 }, { name: 'someone else' });
    await people.findOneAndDelete({ _id: 5 });
    await db.collection('temp').drop();

    await expect
      .poll(() => onDisk(dbpath, Object.values(m)), { timeout: 10_000 })
      .toEqual([m.kept, m.newValue]);
    // and what stayed is still served, after a restart too
    await client!.close();
    await store!.close();
    const again = await open(300);
    expect(
      await again
        .collection('people')
        .find({}, { sort: { _id: 1 } })
        .toArray(),
    ).toEqual([
      { _id: 2, email: 'a@b' },
      { _id: 3, name: m.newValue },
      { _id: 4, name: 'someone else' },
      { _id: 6, name: m.kept },
    ]);
  });

  it('removes documents a TTL index expired', async () => {
    dbpath = mkdtempSync(join(tmpdir(), 'agora-store-scrub-'));
    store = await startStore({
      port: 0,
      dbpath,
      scrubAfterMs: 300,
      ttlIntervalMs: 50,
      logger: () => {},
    });
    client = await MongoClient.connect(store.url);
    const sessions = client.db('erasure').collection<Doc>('sessions');
    await sessions.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    const ip = marker('ip');
    await sessions.insertOne({ _id: 1, ip, at: new Date(Date.now() - 5_000) });
    await expect.poll(() => onDisk(dbpath, [ip]), { timeout: 10_000 }).toEqual([]);
  });

  it('scrubs at a clean shutdown without waiting for the delay', async () => {
    dbpath = mkdtempSync(join(tmpdir(), 'agora-store-scrub-'));
    const db = await open(3_600_000);
    const email = marker('email');
    await db.collection<Doc>('people').insertOne({ _id: 1, email });
    await db.collection<Doc>('people').deleteOne({ _id: 1 });
    expect(onDisk(dbpath, [email])).toEqual([email]);
    await client!.close();
    await store!.close();
    client = undefined;
    store = undefined;
    expect(onDisk(dbpath, [email])).toEqual([]);
  });

  // waits 2 s + 2.5 s by design: more than vitest's default 5 s on a loaded machine
  it('shares one compaction between the deletes of a burst', { timeout: 20_000 }, async () => {
    dbpath = mkdtempSync(join(tmpdir(), 'agora-store-scrub-'));
    const db = await open(2_000);
    const people = db.collection<Doc>('people');
    await people.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i })));
    await Promise.all(Array.from({ length: 50 }, (_, i) => people.deleteOne({ _id: i })));
    const generation = () =>
      Math.max(...readdirSync(dbpath).map((n) => Number(/^log-(\d+)/.exec(n)?.[1] ?? -1)));
    expect(generation()).toBe(0);
    await expect.poll(generation, { timeout: 10_000 }).toBe(1);
    // nothing was erased since: no further compaction
    await new Promise((r) => setTimeout(r, 2_500));
    expect(generation()).toBe(1);
  });
});

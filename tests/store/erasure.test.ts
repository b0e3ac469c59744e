// Erasure and data at rest, end to end through the store's CLI with its default timing: within
// 60 s of a delete (or a field `$unset`), none of the erased bytes remain in any file under the
// dbpath, also when the store was SIGKILLed right after; every file is 0600 in 0700 directories
// even under umask 0002.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Document } from 'mongodb';
import { startTestStore, usingRealMongo, withClient, type TestStore } from '../support/store.js';

const ERASED_WITHIN_MS = 60_000;

/** Test documents with string or number ids. */
interface Person extends Document {
  _id: string | number;
}

const marker = (what: string) => `erasure-${what}-${randomBytes(8).toString('hex')}`;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? [path, ...walk(path)] : [path];
  });
}

/** The markers found in any file under `dir`. */
function onDisk(dir: string, markers: string[]): string[] {
  const files = walk(dir)
    .filter((p) => statSync(p).isFile())
    .map((p) => readFileSync(p));
  return markers.filter((m) => files.some((f) => f.includes(Buffer.from(m))));
}

describe.skipIf(usingRealMongo)(
  'store erasure and file modes [embedded store only: needs to inspect the store process and its files]',
  () => {
    let store: TestStore | undefined;

    afterEach(async () => {
      await store?.stop();
      store = undefined;
    });

    it(
      'forgets a deleted document and an $unset field within 60 s',
      { timeout: ERASED_WITHIN_MS + 30_000 },
      async () => {
        store = await startTestStore({ name: 'erasure' });
        const s = store;
        const deleted = marker('email');
        const unset = marker('bio');
        const kept = marker('kept');
        await withClient(s, async (client) => {
          const people = client.db(s.dbName).collection<Person>('people');
          await people.insertMany([
            { _id: 'gone', email: deleted },
            { _id: 'stays', bio: unset, name: kept },
          ]);
          // the scan sees what the journal holds
          expect(onDisk(s.dbpath!, [deleted, unset, kept])).toEqual([deleted, unset, kept]);
          await people.deleteOne({ _id: 'gone' });
          await people.updateOne({ _id: 'stays' }, { $unset: { bio: '' } });
        });
        const erasedAt = Date.now();
        await expect
          .poll(() => onDisk(s.dbpath!, [deleted, unset]), {
            timeout: ERASED_WITHIN_MS,
            interval: 1_000,
          })
          .toEqual([]);
        console.log(`store erasure: gone from disk ${Date.now() - erasedAt} ms after the writes`);
        expect(onDisk(s.dbpath!, [kept])).toEqual([kept]);
        await withClient(s, async (client) => {
          expect(await client.db(s.dbName).collection('people').find({}).toArray()).toEqual([
            { _id: 'stays', name: kept },
          ]);
        });
      },
    );

    it(
      'forgets a deletion that a SIGKILL kept from being scrubbed, once restarted',
      { timeout: ERASED_WITHIN_MS + 30_000 },
      async () => {
        store = await startTestStore({ name: 'erasure_crash' });
        const s = store;
        const deleted = marker('email');
        await withClient(s, async (client) => {
          const people = client.db(s.dbName).collection<Person>('people');
          await people.insertOne({ _id: 'gone', email: deleted });
          await people.deleteOne({ _id: 'gone' });
        });
        await s.kill('SIGKILL');
        expect(onDisk(s.dbpath!, [deleted])).toEqual([deleted]);
        await s.restart();
        await expect
          .poll(() => onDisk(s.dbpath!, [deleted]), { timeout: ERASED_WITHIN_MS, interval: 1_000 })
          .toEqual([]);
      },
    );

    it('writes every file 0600 in 0700 directories under umask 0002', async () => {
      const dbpath = join(mkdtempSync(join(tmpdir(), 'agora-store-modes-')), 'store');
      try {
        const previous = process.umask(0o002);
        try {
          store = await startTestStore({ name: 'modes', dbpath });
        } finally {
          process.umask(previous);
        }
        const s = store;
        await withClient(s, async (client) => {
          const people = client.db(s.dbName).collection<Person>('people');
          await people.insertOne({ _id: 1, name: 'a' });
          await people.deleteOne({ _id: 1 });
        });
        await s.stop(); // the shutdown compaction writes a snapshot and starts a new log
        store = await startTestStore({ name: 'modes', dbpath });
        const entries = [dbpath, ...walk(dbpath)];
        expect(entries.map((p) => p.slice(dbpath.length)).sort()).toEqual(
          ['', '/agora-store.lock', '/log-1.bson', '/snapshot-1.bson'].sort(),
        );
        for (const path of entries) {
          const mode = statSync(path).mode & 0o777;
          expect(mode, path).toBe(statSync(path).isDirectory() ? 0o700 : 0o600);
        }
      } finally {
        await store?.stop();
        store = undefined;
        rmSync(dirname(dbpath), { recursive: true, force: true });
      }
    });
  },
);

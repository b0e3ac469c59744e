// On-disk damage, end to end through the store's CLI: a torn record at the end of the newest
// journal file (a write cut off by a crash, never acknowledged) is dropped and the store starts
// with everything acknowledged; damage in the middle of the journal stops start-up with a
// message naming the file instead of serving wrong data.
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestStore, usingRealMongo, withClient, type TestStore } from '../support/store.js';

function newestLog(dbpath: string): string {
  const logs = readdirSync(dbpath)
    .map((name) => /^log-(\d+)\.bson$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]));
  if (!logs[0]) throw new Error(`no journal file in ${dbpath}: ${readdirSync(dbpath).join(', ')}`);
  return join(dbpath, logs[0][0]);
}

describe.skipIf(usingRealMongo)(
  'store durability: damaged journal files [embedded store only: needs to kill or inspect the store process]',
  () => {
    let store: TestStore | undefined;

    afterEach(async () => {
      await store?.stop();
      store = undefined;
    });

    it('drops a torn last record and keeps every acknowledged write', async () => {
      store = await startTestStore({ name: 'torn' });
      const s = store;
      await withClient(s, async (client) => {
        const c = client.db(s.dbName).collection('torn');
        await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ i })));
        await c.updateOne({ i: 7 }, { $set: { seven: true } });
      });
      await s.kill('SIGKILL');
      const log = newestLog(s.dbpath!);
      // a record header promising 200 bytes, followed by only a few: a write cut off mid-append
      const torn = Buffer.alloc(4 + 4 + 10);
      torn.writeUInt32LE(200, 0);
      torn.writeUInt32LE(0xdeadbeef, 4);
      appendFileSync(log, torn);
      const damagedSize = readFileSync(log).length;

      await s.restart();
      expect(s.logs()).toMatch(/torn record/);
      expect(readFileSync(log).length).toBe(damagedSize - torn.length);
      await withClient(s, async (client) => {
        const c = client.db(s.dbName).collection('torn');
        expect(await c.countDocuments()).toBe(50);
        expect(await c.findOne({ i: 7 }, { projection: { _id: 0 } })).toEqual({
          i: 7,
          seven: true,
        });
        // and it keeps writing after the repair
        await c.insertOne({ i: 50 });
      });
      await s.kill('SIGKILL');
      await s.restart();
      await withClient(s, async (client) => {
        expect(await client.db(s.dbName).collection('torn').countDocuments()).toBe(51);
      });
    });

    it('refuses to start when a record in the middle of the journal is corrupt, naming the file', async () => {
      store = await startTestStore({ name: 'corrupt' });
      const s = store;
      await withClient(s, async (client) => {
        const c = client.db(s.dbName).collection('corrupt');
        for (let i = 0; i < 20; i += 1) await c.insertOne({ i, body: 'x'.repeat(100) });
      });
      await s.kill('SIGKILL');
      const log = newestLog(s.dbpath!);
      const bytes = readFileSync(log);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0xff; // one flipped byte inside an acknowledged record
      writeFileSync(log, bytes);

      await expect(s.restart()).rejects.toThrow(/log-\d+\.bson/);
      expect(s.logs()).toMatch(/log-\d+\.bson/);
      expect(s.logs()).toMatch(/\[store exited code=[1-9]/);
    });
  },
);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStore, type RunningStore } from './server.js';

describe('TTL indexes', () => {
  let dbpath: string;
  let store: RunningStore;

  beforeAll(async () => {
    dbpath = mkdtempSync(join(tmpdir(), 'agora-store-ttl-'));
    store = await startStore({ port: 0, dbpath, ttlIntervalMs: 50, logger: () => {} });
  });

  afterAll(async () => {
    await store?.close();
    rmSync(dbpath, { recursive: true, force: true });
  });

  it('removes expired documents durably and keeps live ones and ones without a date', async () => {
    const client = await MongoClient.connect(store.url);
    const c = client.db('t').collection<{ _id: string; at?: unknown }>('sessions');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
    const now = Date.now();
    await c.insertMany([
      { _id: 'old', at: new Date(now - 61_000) },
      { _id: 'older', at: [new Date(now - 3_600_000), new Date(now + 3_600_000)] },
      { _id: 'fresh', at: new Date(now) },
      { _id: 'text', at: 'not a date' },
      { _id: 'none' },
    ]);
    await expect
      .poll(async () => (await c.find({}).toArray()).map((d) => d._id), { timeout: 3000 })
      .toEqual(['fresh', 'text', 'none']);
    await client.close();
    // The expiry was journaled like any delete: it survives a restart.
    await store.close();
    store = await startStore({ port: 0, dbpath, ttlIntervalMs: 50, logger: () => {} });
    const again = await MongoClient.connect(store.url);
    const ids = (await again.db('t').collection('sessions').find({}).toArray()).map((d) => d._id);
    expect(ids).toEqual(['fresh', 'text', 'none']);
    await again.close();
  });
});

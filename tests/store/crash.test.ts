// Durability under kill -9: a child process writes continuously (inserts, batched inserts, and
// updates that set several fields together) and reports each acknowledged write; the store is
// SIGKILLed at random moments, 20 rounds. After each restart every acknowledged write must be
// there and no update may be half-applied. The updates overwrite data, so with a 50 ms scrub delay
// the store compacts all the time: kills land in the middle of compactions too.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { startTestStore, usingRealMongo, type TestStore } from '../support/store.js';

const ROUNDS = Number(process.env.STORE_CRASH_ROUNDS ?? 20);
const writerScript = join(import.meta.dirname, 'fixtures', 'crash-writer.mjs');

interface Ack {
  op: 'insert' | 'update' | 'fatal';
  id?: string;
  v?: number;
  message?: string;
}

interface CrashDoc {
  _id: string;
  a: number;
  b: number;
  n: number;
  log: number[];
}

describe.skipIf(usingRealMongo)(
  'store durability: SIGKILL while writing [embedded store only: needs to kill or inspect the store process]',
  () => {
    let store: TestStore;
    let writer: ChildProcessWithoutNullStreams;
    const acks: Ack[] = [];
    let writerErr = '';

    beforeAll(async () => {
      store = await startTestStore({ name: 'crash', scrubAfterMs: 50 });
      // The URL holds the store's password: through the environment, not argv.
      writer = spawn(process.execPath, [writerScript, store.dbName, '4'], {
        stdio: 'pipe',
        env: { ...process.env, STORE_URL: store.url },
      });
      let pending = '';
      writer.stdout.setEncoding('utf8');
      writer.stdout.on('data', (chunk: string) => {
        pending += chunk;
        let nl = pending.indexOf('\n');
        while (nl >= 0) {
          acks.push(JSON.parse(pending.slice(0, nl)) as Ack);
          pending = pending.slice(nl + 1);
          nl = pending.indexOf('\n');
        }
      });
      writer.stderr.setEncoding('utf8');
      writer.stderr.on('data', (chunk: string) => {
        writerErr += chunk;
      });
    });

    afterAll(async () => {
      if (writer && writer.exitCode === null) {
        const exited = new Promise((r) => writer.once('exit', r));
        writer.kill('SIGTERM');
        const forced = setTimeout(() => writer.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(forced);
      }
      await store?.stop();
    });

    async function waitForAcks(atLeast: number, timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (acks.length < atLeast) {
        if (Date.now() > deadline) {
          throw new Error(
            `writer made no progress: ${acks.length}/${atLeast} acks\nwriter stderr:\n${writerErr}\nstore:\n${store.logs()}`,
          );
        }
        if (writer.exitCode !== null)
          throw new Error(`writer exited ${writer.exitCode}: ${writerErr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    /** Checks every acknowledged write in `known` against what the restarted store holds. */
    async function verify(known: Ack[], round: number): Promise<{ docs: number; updates: number }> {
      const client = new MongoClient(store.url, { serverSelectionTimeoutMS: 10_000 });
      try {
        await client.connect();
        const all = await client
          .db(store.dbName)
          .collection<CrashDoc>('crash_docs')
          .find({})
          .toArray();
        const byId = new Map(all.map((d) => [d._id, d]));
        for (const d of all) {
          // never half-applied: a/b set together, n counts the log, the log only grows
          expect(d.a, `round ${round}: ${d._id} a/b torn`).toBe(d.b);
          expect(d.log.length, `round ${round}: ${d._id} n/log torn`).toBe(d.n);
          for (let i = 1; i < d.log.length; i += 1)
            expect(d.log[i]!).toBeGreaterThan(d.log[i - 1]!);
          expect(d.a).toBe(d.log.length === 0 ? 0 : d.log[d.log.length - 1]);
        }
        let updates = 0;
        for (const ack of known) {
          if (ack.op === 'fatal') throw new Error(`writer: ${ack.message}`);
          const doc = byId.get(ack.id!);
          expect(doc, `round ${round}: acknowledged insert ${ack.id} lost`).toBeDefined();
          if (ack.op === 'update') {
            updates += 1;
            expect(
              doc!.log,
              `round ${round}: acknowledged update ${ack.id}=${ack.v} lost`,
            ).toContain(ack.v);
            expect(doc!.a).toBeGreaterThanOrEqual(ack.v!);
          }
        }
        return { docs: all.length, updates };
      } finally {
        await client.close();
      }
    }

    it(
      `keeps every acknowledged write across ${ROUNDS} kill -9 rounds`,
      { timeout: 120_000 },
      async () => {
        let last = { docs: 0, updates: 0 };
        const started = Date.now();
        for (let round = 1; round <= ROUNDS; round += 1) {
          // the writer must be making progress on the restarted store before we kill it again
          await waitForAcks(acks.length + 15, 15_000);
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
          await store.kill('SIGKILL');
          await store.restart();
          const known = acks.slice(); // acknowledged before this point in time
          last = await verify(known, round);
        }
        // each compaction starts the next journal generation (log-<N>)
        const generation = Math.max(
          ...readdirSync(store.dbpath!).map((n) => Number(/^log-(\d+)\.bson$/.exec(n)?.[1] ?? 0)),
        );
        console.log(
          `crash test: ${ROUNDS} SIGKILL rounds in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
            `${acks.length} acknowledged writes, ${last.docs} documents, ${last.updates} acknowledged updates checked, ` +
            `${generation} compactions`,
        );
        expect(last.updates).toBeGreaterThan(ROUNDS);
        expect(generation).toBeGreaterThanOrEqual(ROUNDS);
      },
    );
  },
);

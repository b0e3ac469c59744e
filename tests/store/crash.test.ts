// Durability under kill -9: a child process writes continuously (inserts, batched inserts, and
// updates that set several fields together) and reports each acknowledged write; the store is
// SIGKILLed at random moments, 20 rounds. After each restart every acknowledged write must be
// there and no update may be half-applied. The updates overwrite data, so with a 50 ms scrub delay
// the store compacts all the time: kills land in the middle of compactions too.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, usingRealMongo, type TestStore } from '../support/store.js';
import {
  startCrashWriter,
  verifyAcknowledged,
  type CrashWriter,
} from './fixtures/crash-harness.js';

const ROUNDS = Number(process.env.STORE_CRASH_ROUNDS ?? 20);

describe.skipIf(usingRealMongo)(
  'store durability: SIGKILL while writing [embedded store only: needs to kill or inspect the store process]',
  () => {
    let store: TestStore;
    let writer: CrashWriter;

    beforeAll(async () => {
      store = await startTestStore({ name: 'crash', scrubAfterMs: 50 });
      writer = startCrashWriter(store, 4);
    });

    afterAll(async () => {
      await writer?.stop();
      await store?.stop();
    });

    it(
      `keeps every acknowledged write across ${ROUNDS} kill -9 rounds`,
      { timeout: 120_000 },
      async () => {
        let last = { docs: 0, updates: 0 };
        const started = Date.now();
        for (let round = 1; round <= ROUNDS; round += 1) {
          // the writer must be making progress on the restarted store before we kill it again
          await writer.waitForAcks(writer.acks.length + 15, 15_000);
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
          await store.kill('SIGKILL');
          await store.restart();
          const known = writer.acks.slice(); // acknowledged before this point in time
          last = await verifyAcknowledged(store, known, round);
        }
        // each compaction starts the next journal generation (log-<N>)
        const generation = Math.max(
          ...readdirSync(store.dbpath!).map((n) => Number(/^log-(\d+)\.bson$/.exec(n)?.[1] ?? 0)),
        );
        console.log(
          `crash test: ${ROUNDS} SIGKILL rounds in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
            `${writer.acks.length} acknowledged writes, ${last.docs} documents, ${last.updates} acknowledged updates checked, ` +
            `${generation} compactions`,
        );
        expect(last.updates).toBeGreaterThan(ROUNDS);
        expect(generation).toBeGreaterThanOrEqual(ROUNDS);
      },
    );
  },
);

// Group commit under kill -9: 48 writers on 48 connections write at once, so the store's journal
// acknowledges them in shared fsync batches; the store is SIGKILLed while dozens of writes are in
// flight (appended, not yet fsynced, or fsynced and not yet answered), 6 rounds. After each
// restart every write that was acknowledged is there and none is half-applied; the writes that
// were in flight may or may not be (they were never acknowledged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, usingRealMongo, type TestStore } from '../support/store.js';
import {
  startCrashWriter,
  verifyAcknowledged,
  type CrashWriter,
} from './fixtures/crash-harness.js';

const ROUNDS = Number(process.env.STORE_CRASH_CONCURRENT_ROUNDS ?? 6);
const WRITERS = 48;

describe.skipIf(usingRealMongo)(
  'store durability: SIGKILL with many concurrent writers in flight [embedded store only: needs to kill the store process]',
  () => {
    let store: TestStore;
    let writer: CrashWriter;

    beforeAll(async () => {
      store = await startTestStore({ name: 'crash_concurrent', scrubAfterMs: 200 });
      writer = startCrashWriter(store, WRITERS);
    });

    afterAll(async () => {
      await writer?.stop();
      await store?.stop();
    });

    it(
      `keeps every acknowledged write of ${WRITERS} concurrent writers across ${ROUNDS} kill -9 rounds`,
      { timeout: 120_000 },
      async () => {
        let last = { docs: 0, updates: 0 };
        let inFlightAtKill = 0;
        const started = Date.now();
        for (let round = 1; round <= ROUNDS; round += 1) {
          // all writers busy again on the restarted store, then kill within the next few batches
          await writer.waitForAcks(writer.acks.length + 2 * WRITERS, 20_000);
          const before = writer.acks.length;
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 60)));
          await store.kill('SIGKILL');
          // acks still arriving after the kill were sent before it: writes were in flight
          await new Promise((r) => setTimeout(r, 50));
          inFlightAtKill += writer.acks.length - before;
          await store.restart();
          last = await verifyAcknowledged(store, writer.acks.slice(), round);
        }
        console.log(
          `concurrent crash test: ${WRITERS} writers, ${ROUNDS} SIGKILL rounds in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
            `${writer.acks.length} acknowledged writes (${inFlightAtKill} acknowledged in the last moments before a kill), ` +
            `${last.docs} documents, ${last.updates} acknowledged updates checked`,
        );
        expect(writer.acks.length).toBeGreaterThanOrEqual(ROUNDS * 2 * WRITERS);
        expect(last.updates).toBeGreaterThan(ROUNDS);
      },
    );
  },
);

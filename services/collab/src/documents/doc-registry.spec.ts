import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as Y from 'yjs';
import { createLogger } from '@agora/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollabConfig } from '../common/collab-config.js';
import { RelayRepository } from '../relay/relay.repository.js';
import { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { startHistoryHarness, type HistoryHarness } from '../testing/history-harness.js';
import { UpdateLog } from '../update-log/update-log.repository.js';
import type { DocPeer } from './doc-peer.js';
import { DocRegistry } from './doc-registry.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const config = {
  COLLAB_REPLICA_ID: 'spec-registry',
  COLLAB_BATCH_MS: 2,
  COLLAB_BATCH_MAX_BYTES: 256 * 1024,
  COLLAB_MAX_DOC_BYTES: 32 * 1024 * 1024,
  COLLAB_IDLE_UNLOAD_MS: 20,
} as CollabConfig;

/** Counts reads of the log: a load asks for the doc's last sequence once (and a tail if any). */
class CountingLog extends UpdateLog {
  tails = 0;
  override lastSeq(docName: string) {
    this.tails += 1;
    return super.lastSeq(docName);
  }
}

const peer = (): DocPeer & { count: number } => ({
  memberId: 'a'.repeat(24),
  count: 0,
  send() {},
  saved(n: number) {
    this.count = n;
  },
  refuse() {},
});

const docOf = (n: number) => `notes:${n.toString(16).padStart(24, 'a')}`;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('DocRegistry (real log and store)', () => {
  let h: HistoryHarness;
  let log: CountingLog;
  let registry: DocRegistry;

  beforeAll(async () => {
    h = await startHistoryHarness('registry');
    log = new CountingLog(h.bus);
    registry = new DocRegistry(
      config,
      log,
      new SnapshotRepository(h.mongo),
      new RelayRepository(h.bus),
      h.bus,
      createLogger('spec', 'silent'),
    );
  });
  afterAll(() => h?.close());

  it('loads a doc once however many open it at the same moment', async () => {
    const docName = docOf(1);
    const before = log.tails;
    const opened = await Promise.all(Array.from({ length: 10 }, () => registry.acquire(docName)));
    expect(new Set(opened).size).toBe(1);
    expect(log.tails - before).toBe(1);
    for (let i = 0; i < 10; i += 1) registry.release(docName);
    await until(() => registry.peek(docName) === null);
  });

  it('unloads idle docs and memory returns to its baseline after many open and close', async () => {
    // One round first: module caches, JIT and the connection's buffers settle.
    const round = async (from: number, n: number) => {
      for (let i = 0; i < n; i += 1) {
        const docName = docOf(from + i);
        const live = await registry.acquire(docName);
        const p = peer();
        live.addPeer(p);
        const edit = new Y.Doc();
        edit.on('update', (u: Uint8Array) => live.accept(u, p));
        edit.getText('body').insert(0, 'some text of a workshop note '.repeat(20));
        await live.whenDurable();
        live.removePeer(p);
        registry.release(docName);
      }
      await until(() => registry.size === 0);
    };
    await round(1_000, 50);
    const baseline = heap();
    await round(2_000, 600);
    const after = heap();
    // 600 docs held ~0.6 KB of text each plus a Y.Doc, awareness and a subscription: if they were
    // kept, the heap would grow by megabytes; what is left is noise.
    expect(after - baseline).toBeLessThan(2 * 1024 * 1024);
    expect(registry.size).toBe(0);
  }, 30_000);
});

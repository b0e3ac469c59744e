import * as Y from 'yjs';
import { Clock } from '@agora/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollabConfig } from '../common/collab-config.js';
import { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { startHistoryHarness, type HistoryHarness } from '../testing/history-harness.js';
import { UpdateLog } from '../update-log/update-log.repository.js';
import { CompactionLeaseRepository } from './compaction-lease.repository.js';
import { CompactionScheduler } from './compaction-scheduler.service.js';
import { Compactor } from './compactor.service.js';
import { docNameOf, LogStatsRepository } from './log-stats.repository.js';

class MovableClock extends Clock {
  at = Date.now();
  override now(): Date {
    return new Date(this.at);
  }
}

const docOf = (n: number) => `proposal:${n.toString(16).padStart(24, 'c')}`;
const config = {
  COLLAB_REPLICA_ID: 'spec-replica',
  COLLAB_COMPACT_LEASE_MS: 30_000,
  COLLAB_COMPACTOR: 'on',
  COLLAB_COMPACT_UPDATES: 50,
  COLLAB_COMPACT_IDLE_MS: 10_000,
  COLLAB_COMPACT_POLL_MS: 1_000,
} as CollabConfig;

describe('Compactor (real nats-server update log, embedded store snapshots)', () => {
  let h: HistoryHarness;
  let log: UpdateLog;
  let snapshots: SnapshotRepository;
  let leases: CompactionLeaseRepository;
  let appended = 0;

  const compactor = (over: { log?: UpdateLog; clock?: Clock } = {}) =>
    new Compactor(snapshots, over.log ?? log, leases, over.clock ?? new Clock(), config);

  /** A client's doc edited in `n` separate updates, each appended to the log as the live path would. */
  async function edit(docName: string, doc: Y.Doc, n: number, size = 1): Promise<number> {
    const updates: Uint8Array[] = [];
    const collect = (u: Uint8Array) => updates.push(u);
    doc.on('update', collect);
    const text = doc.getXmlFragment('default');
    for (let i = 0; i < n; i += 1) {
      if (text.length > 3 && i % 4 === 3) text.delete(0, 1); // deletions too: GC must match
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      t.insert(0, `${i} `.repeat(size), i % 2 ? { bold: {} } : {});
      p.insert(0, [t]);
      text.insert(text.length, [p]);
    }
    doc.off('update', collect);
    for (const u of updates) {
      appended += 1;
      await log.append(docName, u, {
        replica: 'spec',
        members: ['a'.repeat(24)],
        msgId: `spec-${appended}`,
      });
    }
    return updates.length;
  }

  /** The durable state, as any replica loads it: snapshot + log tail after it. */
  async function reload(docName: string): Promise<Y.Doc> {
    const snap = await snapshots.latest(docName);
    const doc = new Y.Doc();
    if (snap) Y.applyUpdate(doc, snap.state);
    for (const e of (await log.readTail(docName, snap?.seq ?? 0)).entries)
      Y.applyUpdate(doc, e.update);
    return doc;
  }

  const entries = async (docName: string) =>
    (await new LogStatsRepository(h.bus).entriesPerDoc()).get(docName) ?? 0;

  beforeAll(async () => {
    h = await startHistoryHarness('compactor');
    log = new UpdateLog(h.bus);
    snapshots = new SnapshotRepository(h.mongo);
    leases = new CompactionLeaseRepository(h.mongo);
  });
  afterAll(async () => h?.close());

  it('merges snapshot and tail into a snapshot holding the same state byte for byte, then purges', async () => {
    const name = docOf(1);
    const client = new Y.Doc();
    const n = await edit(name, client, 120);
    expect(await entries(name)).toBe(n);

    const first = await compactor().compact(name);
    expect(first).toMatchObject({ outcome: 'compacted', entries: n });
    expect(await entries(name)).toBe(1); // the last entry stays: replicas chain appends on it
    expect(Y.encodeStateAsUpdate(await reload(name))).toEqual(Y.encodeStateAsUpdate(client));

    // more edits on top: the next compaction starts from the snapshot
    const more = await edit(name, client, 30);
    expect(await compactor().compact(name)).toMatchObject({ outcome: 'compacted', entries: more });
    const reloaded = await reload(name);
    expect(Y.encodeStateAsUpdate(reloaded)).toEqual(Y.encodeStateAsUpdate(client));
    expect(reloaded.getXmlFragment('default').toJSON()).toBe(
      client.getXmlFragment('default').toJSON(),
    );
    expect(await compactor().compact(name)).toEqual({ outcome: 'up-to-date' });

    // a replica that chained on the doc's last sequence before the compaction appends at once
    const last = await log.lastSeq(name);
    expect(last).toBeGreaterThan(0);
    const p = new Y.XmlElement('paragraph');
    client.getXmlFragment('default').insert(0, [p]);
    const next = await log.append(name, Y.encodeStateAsUpdate(client), {
      replica: 'spec',
      members: [],
      msgId: 'chained-after-compaction',
      expectLastSeq: last,
    });
    expect(next).toBeGreaterThan(last);
  });

  it('lets the replica serve other docs while it merges a long tail', async () => {
    const name = docOf(20);
    const client = new Y.Doc();
    const n = await edit(name, client, 3_000);
    // Turns of the event loop taken while the merge ran: from the tail read to the lease taken
    // again before the save. A merge in one go takes none (both ends are in one synchronous run).
    let tailRead = Infinity;
    let merged = Infinity;
    const timedLog = Object.create(log) as UpdateLog;
    timedLog.readTail = async (...args: Parameters<UpdateLog['readTail']>) => {
      const tail = await log.readTail(...args);
      tailRead = performance.now();
      return tail;
    };
    const acquire = leases.acquire.bind(leases);
    let acquired = 0;
    leases.acquire = (...args) => {
      acquired += 1;
      if (acquired === 2) merged = performance.now();
      return acquire(...args);
    };
    const turns: number[] = [];
    let ticking = true;
    const tick = () => {
      turns.push(performance.now());
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    try {
      expect(await compactor({ log: timedLog }).compact(name)).toMatchObject({
        outcome: 'compacted',
        entries: n,
      });
    } finally {
      ticking = false;
      leases.acquire = acquire;
    }
    expect(turns.filter((t) => t > tailRead && t < merged).length).toBeGreaterThan(0);
    expect(Y.encodeStateAsUpdate(await reload(name))).toEqual(Y.encodeStateAsUpdate(client));
  });

  it('never lets two compactors work on one doc at once', async () => {
    const name = docOf(2);
    await edit(name, new Y.Doc(), 200);
    const a = compactor();
    const b = compactor();
    const outcomes = (await Promise.all([a.compact(name), b.compact(name)])).map((r) => r.outcome);
    expect(outcomes.sort()).toEqual(['busy', 'compacted']);

    // at the lease level: of many takers at once exactly one wins
    const now = new Date();
    const until = new Date(now.getTime() + 30_000);
    const wins = await Promise.all(
      Array.from({ length: 8 }, (_, i) => leases.acquire(docOf(3), `taker-${i}`, now, until)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    // a lapsed lease is taken over; the old holder's release then leaves the new one alone
    const later = new Date(until.getTime() + 1);
    expect(
      await leases.acquire(docOf(3), 'late-taker', later, new Date(later.getTime() + 1000)),
    ).toBe(true);
    await leases.release(docOf(3), `taker-${wins.indexOf(true)}`);
    expect(await leases.acquire(docOf(3), 'third', later, new Date(later.getTime() + 1000))).toBe(
      false,
    );
  });

  it('loses nothing when it crashes between saving the snapshot and purging the log', async () => {
    const name = docOf(4);
    const client = new Y.Doc();
    const n = await edit(name, client, 40);
    const crashing = Object.create(log) as UpdateLog;
    crashing.purgeUpTo = () => Promise.reject(new Error('killed before the purge'));
    await expect(compactor({ log: crashing }).compact(name)).rejects.toThrow(
      'killed before the purge',
    );

    expect((await snapshots.latest(name))?.seq).toBeGreaterThan(0);
    expect(await entries(name)).toBe(n); // nothing purged
    expect(Y.encodeStateAsUpdate(await reload(name))).toEqual(Y.encodeStateAsUpdate(client));
    // the lease was given up: the next compaction purges what the snapshot covers
    expect(await compactor().compact(name)).toEqual({ outcome: 'up-to-date' });
    expect(await entries(name)).toBe(1);
    expect(Y.encodeStateAsUpdate(await reload(name))).toEqual(Y.encodeStateAsUpdate(client));
  });

  it('snapshots states larger than a store document (chunked)', async () => {
    const name = docOf(5);
    const client = new Y.Doc();
    // six updates of ~900 KB of incompressible text each: a ~5.4 MB state, over one 4 MiB chunk
    const text = client.getText('notes');
    const chunks: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => chunks.push(u));
    for (let i = 0; i < 6; i += 1) {
      let s = '';
      while (s.length < 900_000) s += Math.random().toString(36).slice(2);
      text.insert(text.length, s);
    }
    for (const [i, u] of chunks.entries()) {
      await log.append(name, u, { replica: 'spec', members: [], msgId: `big-${i}` });
    }
    const result = await compactor().compact(name);
    expect(result).toMatchObject({ outcome: 'compacted', entries: 6 });
    expect(result.outcome === 'compacted' && result.bytes).toBeGreaterThan(5_000_000);
    expect((await reload(name)).getText('notes').toJSON()).toBe(text.toJSON());
  }, 60_000);

  it('schedules docs past the entry threshold at once and others once idle', async () => {
    const clock = new MovableClock();
    const scheduler = new CompactionScheduler(
      compactor({ clock }),
      new LogStatsRepository(h.bus),
      clock,
      h.logger,
      config,
    );
    const busy = docOf(6);
    const quiet = docOf(7);
    // only these two docs: what earlier cases left in the log is not this case's business
    const tick = async () => (await scheduler.tick()).filter((d) => d === busy || d === quiet);
    await edit(busy, new Y.Doc(), 60); // ≥ 50
    const few = await edit(quiet, new Y.Doc(), 5);
    expect(await tick()).toEqual([busy]);
    expect(await entries(quiet)).toBe(few);
    clock.at += 5_000;
    expect(await tick()).toEqual([]);
    await edit(quiet, new Y.Doc(), 1); // a new entry restarts its idle time
    clock.at += 6_000;
    expect(await tick()).toEqual([]);
    clock.at += 10_000;
    expect(await tick()).toEqual([quiet]);
    expect(await entries(quiet)).toBe(1);
    expect(await entries(busy)).toBe(1);
    // the entry each keeps is looked at once more when idle, found covered, then left alone
    const calls: string[] = [];
    const spy = compactor({ clock });
    const compact = spy.compact.bind(spy);
    spy.compact = (d) => {
      calls.push(d);
      return compact(d);
    };
    const watched = new CompactionScheduler(
      spy,
      new LogStatsRepository(h.bus),
      clock,
      h.logger,
      config,
    );
    const mine = (list: string[]) => list.filter((d) => d === busy || d === quiet);
    expect(await watched.tick()).toEqual(expect.any(Array)); // first sight: idle from now
    clock.at += 11_000;
    expect(mine(await watched.tick())).toEqual([]); // up to date: nothing to merge
    expect(mine(calls).sort()).toEqual([busy, quiet].sort());
    clock.at += 60_000;
    await watched.tick();
    expect(mine(calls)).toHaveLength(2); // settled: not tried again while nothing changes
  });
});

describe('docNameOf', () => {
  it('maps update-log subjects back to doc names, and nothing else', () => {
    const id = 'a'.repeat(24);
    expect(docNameOf(`agora.collab.doc.board.${id}`)).toBe(`board:${id}`);
    expect(docNameOf(`agora.collab.doc.memo.${id}`)).toBeNull();
    expect(docNameOf(`agora.collab.doc.board.${id}.x`)).toBeNull();
    expect(docNameOf(`agora.collab.live.board.${id}`)).toBeNull();
    expect(docNameOf('agora.collab.doc.board.XYZ')).toBeNull();
  });
});

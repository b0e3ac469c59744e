import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { createLogger } from '@agora/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollabConfig } from '../common/collab-config.js';
import { RelayRepository, type RelayMessage } from '../relay/relay.repository.js';
import { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { startHistoryHarness, type HistoryHarness } from '../testing/history-harness.js';
import { UpdateLog, type AppendMeta } from '../update-log/update-log.repository.js';
import type { DocPeer } from './doc-peer.js';
import { loadDurableInto } from './durable-load.js';
import { commentRoots } from './comment-scope.js';
import { LiveDoc } from './live-doc.js';
import { until } from '../testing/until.js';

const config = {
  COLLAB_REPLICA_ID: 'spec-a',
  COLLAB_BATCH_MS: 4,
  COLLAB_BATCH_MAX_BYTES: 256 * 1024,
  COLLAB_MAX_DOC_BYTES: 32 * 1024 * 1024,
} as CollabConfig;

/** The real log, with appends that wait for the test to let them through (or fail on demand). */
class GatedLog extends UpdateLog {
  gate: Promise<void> = Promise.resolve();
  open: () => void = () => undefined;
  failures = 0;
  appends = 0;
  close(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  override async append(docName: string, update: Uint8Array, meta: AppendMeta): Promise<number> {
    await this.gate;
    this.appends += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('nats down (spec)');
    }
    return super.append(docName, update, meta);
  }
}

class Peer implements DocPeer {
  frames: Uint8Array[] = [];
  savedCount = 0;
  refused: number | null = null;
  constructor(readonly memberId: string | null) {}
  send(frame: Uint8Array): void {
    this.frames.push(frame);
  }
  saved(count: number): void {
    this.savedCount = count;
  }
  refuse(code: number): void {
    this.refused = code;
  }
  /** Applies every sync frame received (step 2 and updates) to a fresh doc. */
  view(): Y.Doc {
    const doc = new Y.Doc();
    for (const f of this.frames) {
      const d = decoding.createDecoder(f);
      if (decoding.readVarUint(d) !== 0) continue;
      const step = decoding.readVarUint(d);
      if (step === 1 || step === 2) Y.applyUpdate(doc, decoding.readVarUint8Array(d));
    }
    return doc;
  }
  syncFrames(): number {
    return this.frames.filter((f) => f[0] === 0).length;
  }
}

const docOf = (n: number) => `proposal:${n.toString(16).padStart(24, 'b')}`;
/** `n` single-character edits of a client, each its own update. */
function edits(n: number, clientText = 'x'): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < n; i += 1) doc.getText('body').insert(i, clientText);
  return out;
}

describe('LiveDoc (real update log and store)', () => {
  let h: HistoryHarness;
  let log: GatedLog;
  let plainLog: UpdateLog;
  let snapshots: SnapshotRepository;
  let relay: RelayRepository;
  let epoch = 0;
  const published: RelayMessage[] = [];

  beforeAll(async () => {
    h = await startHistoryHarness('live-doc');
    log = new GatedLog(h.bus);
    plainLog = new UpdateLog(h.bus);
    snapshots = new SnapshotRepository(h.mongo);
    relay = new RelayRepository(h.bus);
  });
  afterAll(() => h?.close());

  async function open(docName: string): Promise<LiveDoc> {
    epoch += 1;
    const live = new LiveDoc(docName, {
      config,
      log,
      relay,
      snapshots,
      logger: createLogger('spec', 'silent'),
      epoch: `e${epoch}`,
    });
    await relay.subscribe(docName, (m) => published.push(m));
    live.loaded(await loadDurableInto(live.doc, docName, snapshots, plainLog));
    return live;
  }

  it('sends nothing to anyone before the batch is durable, then one merged frame', async () => {
    const docName = docOf(1);
    const live = await open(docName);
    const a = new Peer('a'.repeat(24));
    const b = new Peer('b'.repeat(24));
    live.addPeer(a);
    live.addPeer(b);
    log.close();
    const before = log.appends;
    for (const u of edits(100)) live.accept(u, a);
    await new Promise((r) => setTimeout(r, 50));
    expect(b.frames).toHaveLength(0);
    expect(published.filter((m) => m.meta.kind === 'update')).toHaveLength(0);
    log.open();
    await until(() => expect(a.savedCount).toBe(100));
    // Batched: far fewer appends than updates.
    expect(log.appends - before).toBeLessThanOrEqual(3);
    expect(b.view().getText('body').toJSON()).toBe('x'.repeat(100));
    // The writer's own edits are not echoed back to it.
    expect(a.syncFrames()).toBe(0);
    await until(() => expect(published.some((m) => m.meta.kind === 'update')).toBe(true));
    const entries = await plainLog.readAfter(docName, 0);
    expect(entries.flatMap((e) => e.members)).toContain('a'.repeat(24));
    live.destroy();
  });

  it('answers a joiner only from a durable state; edits made meanwhile follow once durable', async () => {
    const docName = docOf(2);
    const live = await open(docName);
    const a = new Peer('a'.repeat(24));
    live.addPeer(a);
    const [first, ...rest] = edits(3);
    log.close();
    live.accept(first!, a);
    // Its batch is applied and on its way to the log (held at the gate).
    await new Promise((r) => setTimeout(r, 30));
    const joiner = new Peer('c'.repeat(24));
    live.addPeer(joiner);
    live.syncRequest(joiner, Y.encodeStateVector(new Y.Doc()));
    live.accept(rest[0]!, a); // the next batch: not in the doc until the first is durable
    await new Promise((r) => setTimeout(r, 30));
    expect(joiner.frames).toHaveLength(0);
    log.open();
    await until(() => expect(joiner.view().getText('body').toJSON()).toBe('xx'));
    // Its step 2 held only the first edit (durable when answered).
    const step2 = new Peer(null);
    step2.frames = joiner.frames.slice(0, 1);
    expect(step2.view().getText('body').toJSON()).toBe('x');
    expect((await plainLog.readAfter(docName, 0)).length).toBe(2);
    live.destroy();
  });

  it('keeps a batch through failed appends and relays it only once stored', async () => {
    const docName = docOf(3);
    const live = await open(docName);
    const a = new Peer('a'.repeat(24));
    const b = new Peer('b'.repeat(24));
    live.addPeer(a);
    live.addPeer(b);
    log.failures = 2;
    for (const u of edits(5)) live.accept(u, a);
    await new Promise((r) => setTimeout(r, 100));
    expect(b.frames).toHaveLength(0);
    await until(() => expect(a.savedCount).toBe(5), 10_000);
    expect(b.view().getText('body').toJSON()).toBe('xxxxx');
    expect((await plainLog.readAfter(docName, 0)).length).toBe(1);
    await live.whenDurable();
    live.destroy();
  });

  it('reads a gap from the log when a relayed update does not follow what it has', async () => {
    const docName = docOf(4);
    const live = await open(docName);
    const a = new Peer('a'.repeat(24));
    live.addPeer(a);
    const [e1, e2] = edits(2, 'y');
    // Another replica appended twice; only its second relay message arrives.
    const s1 = await plainLog.append(docName, e1!, {
      replica: 'spec-b',
      members: [],
      msgId: 'gap-1',
    });
    const s2 = await plainLog.append(docName, e2!, {
      replica: 'spec-b',
      members: [],
      msgId: 'gap-2',
    });
    live.onRelay({ meta: { replica: 'spec-b', kind: 'update', seq: s2 }, prevSeq: s1, data: e2! });
    await until(() => expect(live.doc.getText('body').toJSON()).toBe('yy'));
    expect(live.lastSeq).toBe(s2);
    expect(a.view().getText('body').toJSON()).toBe('yy');
    // Already applied: a late duplicate changes nothing.
    const frames = a.frames.length;
    live.onRelay({ meta: { replica: 'spec-b', kind: 'update', seq: s1 }, prevSeq: 0, data: e1! });
    expect(a.frames).toHaveLength(frames);
    live.destroy();
  });

  it('catches up when another replica appended unseen, then appends after it', async () => {
    const docName = docOf(5);
    const live = await open(docName);
    const a = new Peer('a'.repeat(24));
    live.addPeer(a);
    const theirs = edits(1, 'T')[0]!;
    await plainLog.append(docName, theirs, { replica: 'spec-b', members: [], msgId: 'unseen-1' });
    for (const u of edits(2, 'm')) live.accept(u, a);
    await until(() => expect(a.savedCount).toBe(2));
    expect(live.doc.getText('body').toJSON()).toContain('T');
    const fresh = new Y.Doc();
    await loadDurableInto(fresh, docName, snapshots, plainLog);
    expect(fresh.getText('body').toJSON()).toBe(live.doc.getText('body').toJSON());
    live.destroy();
  });

  it('refuses an update Yjs cannot apply and one that would grow the doc past its cap', async () => {
    const live = await open(docOf(6));
    const a = new Peer('a'.repeat(24));
    live.addPeer(a);
    live.accept(Uint8Array.of(9, 9, 9, 9, 9), a);
    await until(() => expect(a.refused).toBe(4400));
    live.destroy();
    const tiny = new LiveDoc(docOf(7), {
      config: { ...config, COLLAB_MAX_DOC_BYTES: 100 },
      log,
      relay,
      snapshots,
      logger: createLogger('spec', 'silent'),
      epoch: 'tiny',
    });
    const b = new Peer('b'.repeat(24));
    tiny.addPeer(b);
    const doc = new Y.Doc();
    let big: Uint8Array | undefined;
    doc.on('update', (u: Uint8Array) => (big = u));
    doc.getText('body').insert(0, 'z'.repeat(500));
    tiny.accept(big!, b);
    expect(b.refused).toBe(4413);
    expect(tiny.doc.getText('body').length).toBe(0);
    tiny.destroy();
  });

  it("drops a scoped peer's updates outside its scope, unapplied, unlogged and unrelayed", async () => {
    const docName = docOf(8);
    const live = await open(docName);
    const good = new Peer('c'.repeat(24));
    const bad = new Peer('e'.repeat(24));
    const other = new Peer('d'.repeat(24));
    for (const p of [good, bad, other]) live.addPeer(p);
    const updatesOf = (doc: Y.Doc) => {
      const out: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => out.push(u));
      return out;
    };
    const goodDoc = new Y.Doc();
    const fromGood = updatesOf(goodDoc);
    const thread = new Y.Map<string>();
    goodDoc.getMap('comments').set('c1', thread);
    // Its parent only exists once the previous update of the same batch is applied.
    thread.set('text', 'a comment');
    const badDoc = new Y.Doc();
    const fromBad = updatesOf(badDoc);
    badDoc.getText('body').insert(0, 'not yours');
    // After a dropped update its clock has a gap: even a pure comment waits for nothing, dropped.
    badDoc.getMap('suggestions').set('s0', 'after the gap');
    badDoc.transact(() => {
      badDoc.getMap('suggestions').set('s1', 'mixed');
      badDoc.getText('body').insert(0, 'also not yours ');
    });
    const relayedBefore = published.filter((m) => m.meta.kind === 'update').length;
    live.accept(fromBad[0]!, bad, commentRoots);
    live.accept(fromGood[0]!, good, commentRoots);
    live.accept(fromBad[1]!, bad, commentRoots);
    live.accept(fromGood[1]!, good, commentRoots);
    live.accept(fromBad[2]!, bad, commentRoots);
    await until(() => expect(good.savedCount).toBe(2));
    expect(good.refused).toBeNull();
    expect(bad.refused).toBeNull();
    expect(bad.savedCount).toBe(0);
    expect(live.doc.getText('body').length).toBe(0);
    expect(live.doc.getMap('suggestions').size).toBe(0);
    expect((live.doc.getMap('comments').get('c1') as Y.Map<string>).get('text')).toBe('a comment');
    const seen = other.view();
    expect((seen.getMap('comments').get('c1') as Y.Map<string>).get('text')).toBe('a comment');
    expect(seen.getText('body').length).toBe(0);
    const stored = new Y.Doc();
    for (const e of await plainLog.readAfter(docName, 0)) Y.applyUpdate(stored, e.update);
    expect(stored.getText('body').length).toBe(0);
    expect(stored.getMap('suggestions').size).toBe(0);
    expect(stored.getMap('comments').has('c1')).toBe(true);
    await until(() =>
      expect(published.filter((m) => m.meta.kind === 'update').length).toBeGreaterThan(
        relayedBefore,
      ),
    );
    for (const m of published.filter((x) => x.meta.kind === 'update').slice(relayedBefore)) {
      const d = new Y.Doc();
      Y.applyUpdate(d, m.data);
      expect(d.getText('body').length).toBe(0);
    }
    live.destroy();
  });
});

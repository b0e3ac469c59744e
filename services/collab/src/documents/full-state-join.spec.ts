import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { createLogger } from '@agora/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollabConfig } from '../common/collab-config.js';
import { RelayRepository } from '../relay/relay.repository.js';
import { SnapshotRepository } from '../snapshots/snapshot.repository.js';
import { startHistoryHarness, type HistoryHarness } from '../testing/history-harness.js';
import { UpdateLog } from '../update-log/update-log.repository.js';
import type { DocPeer } from './doc-peer.js';
import { loadDurableInto } from './durable-load.js';
import { LiveDoc, MalformedUpdate } from './live-doc.js';
import { until } from '../testing/until.js';

// A cold join of a large doc is dominated by encoding its whole state for a client that has
// nothing; these check that the stored snapshot (or one encoding) is reused only while it is exact.
const config = {
  COLLAB_REPLICA_ID: 'spec-full',
  COLLAB_BATCH_MS: 4,
  COLLAB_BATCH_MAX_BYTES: 256 * 1024,
  COLLAB_MAX_DOC_BYTES: 32 * 1024 * 1024,
} as CollabConfig;

class Peer implements DocPeer {
  frames: Uint8Array[] = [];
  savedCount = 0;
  constructor(readonly memberId: string | null) {}
  send(frame: Uint8Array): void {
    this.frames.push(frame);
  }
  saved(count: number): void {
    this.savedCount = count;
  }
  refuse(): void {}
  /** Payloads of the sync step 2 frames received. */
  steps2(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const f of this.frames) {
      const d = decoding.createDecoder(f);
      if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 1) continue;
      out.push(decoding.readVarUint8Array(d));
    }
    return out;
  }
}

const docOf = (n: number) => `proposal:${n.toString(16).padStart(24, 'f')}`;
const emptyVector = Y.encodeStateVector(new Y.Doc());
const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('body').toJSON();
};
/**
 * A state holding `text`, and the doc that made it (for later edits by the same client). Merged
 * from one update per character, its bytes differ from what encoding the doc gives: only a reused
 * snapshot is sent back byte for byte.
 */
function stateOf(text: string): { doc: Y.Doc; state: Uint8Array } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const c of text) doc.getText('body').insert(doc.getText('body').length, c);
  const state = Y.mergeUpdates(updates);
  expect(state).not.toEqual(Y.encodeStateAsUpdate(doc));
  return { doc, state };
}

describe('whole state for joiners with nothing (real log and store)', () => {
  let h: HistoryHarness;
  let log: UpdateLog;
  let snapshots: SnapshotRepository;
  let relay: RelayRepository;
  let epoch = 0;

  beforeAll(async () => {
    h = await startHistoryHarness('full-state-join');
    log = new UpdateLog(h.bus);
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
      epoch: `f${epoch}`,
    });
    live.loaded(await loadDurableInto(live.doc, docName, snapshots, log));
    return live;
  }

  it('hands back the snapshot bytes only when nothing follows the snapshot', async () => {
    const none = await loadDurableInto(new Y.Doc(), docOf(1), snapshots, log);
    expect(none.state).toBeUndefined();

    const { doc, state } = stateOf('snapshot only');
    const seq = await log.append(docOf(2), state, { replica: 'x', members: [], msgId: 'fs-2' });
    await snapshots.save(docOf(2), seq, state);
    const only = await loadDurableInto(new Y.Doc(), docOf(2), snapshots, log);
    expect(only.state).toEqual(state);

    // An entry after the snapshot: the stored bytes are no longer the whole state.
    const before = Y.encodeStateVector(doc);
    doc.getText('body').insert(0, '+');
    const more = Y.encodeStateAsUpdate(doc, before);
    await log.append(docOf(2), more, { replica: 'x', members: [], msgId: 'fs-2b' });
    const tail = await loadDurableInto(new Y.Doc(), docOf(2), snapshots, log);
    expect(tail.state).toBeUndefined();
    expect(tail.seq).toBe(seq + 1);
  });

  it('answers an empty state vector with the snapshot itself, then with the doc as it changed', async () => {
    const docName = docOf(3);
    const { doc, state } = stateOf('compacted');
    const seq = await log.append(docName, state, { replica: 'x', members: [], msgId: 'fs-3' });
    await snapshots.save(docName, seq, state);
    const live = await open(docName);

    const cold = new Peer('a'.repeat(24));
    live.syncRequest(cold, emptyVector);
    expect(cold.steps2()[0]).toEqual(state);

    // An edit made durable: the next joiner with nothing gets it too (the cached state is dropped).
    const writer = new Peer('b'.repeat(24));
    live.addPeer(writer);
    const before = Y.encodeStateVector(doc);
    doc.getText('body').insert(0, 'edited ');
    live.accept(Y.encodeStateAsUpdate(doc, before), writer);
    await until(() => expect(writer.savedCount).toBe(1));
    const late = new Peer('c'.repeat(24));
    live.syncRequest(late, emptyVector);
    expect(textOf(late.steps2()[0]!)).toBe('edited compacted');

    // A joiner that has some of it gets only what it lacks, not the whole state.
    const partial = new Peer('d'.repeat(24));
    live.syncRequest(partial, Y.encodeStateVector(new Y.Doc()));
    live.syncRequest(partial, before);
    const [whole, diff] = partial.steps2();
    expect(diff!.byteLength).toBeLessThan(whole!.byteLength);
    const mine = new Y.Doc();
    Y.applyUpdate(mine, state);
    Y.applyUpdate(mine, diff!);
    expect(mine.getText('body').toJSON()).toBe('edited compacted');
    live.destroy();
  });

  it('serves a snapshot saved with its state vector before applying it, and applies it next turn', async () => {
    const docName = docOf(5);
    const { doc, state } = stateOf('deferred snapshot');
    const seq = await log.append(docName, state, { replica: 'x', members: [], msgId: 'fs-5' });
    await snapshots.save(docName, seq, state, Y.encodeStateVector(doc));
    // Without the option, or with an entry after the snapshot, the state is applied as before.
    expect((await loadDurableInto(new Y.Doc(), docName, snapshots, log)).deferred).toBeUndefined();

    const empty = new Y.Doc();
    const loaded = await loadDurableInto(empty, docName, snapshots, log, { defer: true });
    expect(new Uint8Array(loaded.deferred!.stateVector)).toEqual(Y.encodeStateVector(doc));
    expect(loaded.state).toEqual(state);
    expect(empty.getText('body').toJSON()).toBe('');

    epoch += 1;
    const live = new LiveDoc(docName, {
      config,
      log,
      relay,
      snapshots,
      logger: createLogger('spec', 'silent'),
      epoch: `f${epoch}`,
    });
    live.loaded(loaded);
    expect(new Uint8Array(live.stateVector())).toEqual(Y.encodeStateVector(doc));
    const cold = new Peer('a'.repeat(24));
    live.syncRequest(cold, emptyVector);
    expect(cold.steps2()[0]).toEqual(state);
    // Applied on the next turn; still answered with the stored bytes after.
    await new Promise((r) => setImmediate(r));
    const after = new Peer('b'.repeat(24));
    live.syncRequest(after, emptyVector);
    expect(after.steps2()[0]).toEqual(state);
    expect(live.doc.getText('body').toJSON()).toBe('deferred snapshot');
    live.destroy();

    // A joiner that has part of it, before the next turn: the doc is applied at once for its diff.
    const again = new LiveDoc(docName, {
      config,
      log,
      relay,
      snapshots,
      logger: createLogger('spec', 'silent'),
      epoch: `f${(epoch += 1)}`,
    });
    again.loaded(await loadDurableInto(new Y.Doc(), docName, snapshots, log, { defer: true }));
    const partial = new Peer('c'.repeat(24));
    const half = new Y.Doc();
    Y.applyUpdate(half, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(half);
    half.getText('body').insert(0, 'x');
    again.syncRequest(partial, sv);
    expect(partial.steps2()[0]!.byteLength).toBeLessThan(state.byteLength);
    expect(again.doc.getText('body').toJSON()).toBe('deferred snapshot');

    // An entry after the snapshot: nothing is deferred.
    const before = Y.encodeStateVector(doc);
    doc.getText('body').insert(0, '+');
    await log.append(docName, Y.encodeStateAsUpdate(doc, before), {
      replica: 'x',
      members: [],
      msgId: 'fs-5b',
    });
    const tail = await loadDurableInto(new Y.Doc(), docName, snapshots, log, { defer: true });
    expect(tail.deferred).toBeUndefined();
    again.destroy();
  });

  it('refuses a state vector that cannot be read', async () => {
    const live = await open(docOf(4));
    expect(() => live.syncRequest(new Peer(null), Uint8Array.of(5, 1))).toThrow(MalformedUpdate);
    live.destroy();
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHistoryHarness, type HistoryHarness } from '../testing/history-harness.js';
import { SNAPSHOT_CHUNK_BYTES, SnapshotRepository } from './snapshot.repository.js';

const docOf = (n: number) => `board:${n.toString(16).padStart(24, 'e')}`;

describe('SnapshotRepository (embedded store)', () => {
  let h: HistoryHarness;
  let repo: SnapshotRepository;

  beforeAll(async () => {
    h = await startHistoryHarness('snapshots');
    repo = new SnapshotRepository(h.mongo);
  });
  afterAll(() => h?.close());

  const chunksOf = (docName: string) =>
    h.mongo.connection.db!.collection('snapshot_chunks').countDocuments({ docName });

  it('answers null for a doc never saved', async () => {
    expect(await repo.latest(docOf(1))).toBeNull();
    expect(await repo.headSeq(docOf(1))).toBe(0);
  });

  it('round-trips a state larger than a store document, in 4 MiB chunks', async () => {
    const d = docOf(2);
    const state = new Uint8Array(randomBytes(2 * SNAPSHOT_CHUNK_BYTES + 12_345));
    expect(await repo.save(d, 10, state)).toBe(true);
    expect(await chunksOf(d)).toBe(3);
    const got = await repo.latest(d);
    expect(got?.seq).toBe(10);
    expect(Buffer.from(got!.state).equals(Buffer.from(state))).toBe(true);
    expect(await repo.headSeq(d)).toBe(10);
  });

  it('replaces only with a later sequence, and removes the replaced chunks', async () => {
    const d = docOf(3);
    expect(await repo.save(d, 5, Uint8Array.of(1, 2, 3))).toBe(true);
    expect(await repo.save(d, 5, Uint8Array.of(9))).toBe(false);
    expect(await repo.save(d, 4, Uint8Array.of(9))).toBe(false);
    expect([...(await repo.latest(d))!.state]).toEqual([1, 2, 3]);
    expect(await chunksOf(d)).toBe(1);
    expect(await repo.save(d, 8, Uint8Array.of(4, 5))).toBe(true);
    expect([...(await repo.latest(d))!.state]).toEqual([4, 5]);
    expect(await chunksOf(d)).toBe(1);
  });

  it('keeps an empty state as one chunk, and remove forgets the doc', async () => {
    const d = docOf(4);
    expect(await repo.save(d, 1, new Uint8Array(0))).toBe(true);
    expect((await repo.latest(d))!.state.byteLength).toBe(0);
    await repo.remove(d);
    expect(await repo.latest(d)).toBeNull();
    expect(await chunksOf(d)).toBe(0);
  });
});

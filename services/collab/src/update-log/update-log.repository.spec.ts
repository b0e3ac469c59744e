import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHistoryHarness, type HistoryHarness } from '../testing/history-harness.js';
import { LogChainBroken, UpdateLog } from './update-log.repository.js';

const docOf = (n: number) => `notes:${n.toString(16).padStart(24, 'd')}`;
const bytes = (...b: number[]) => Uint8Array.from(b);

describe('UpdateLog (real nats-server, JetStream file storage)', () => {
  let h: HistoryHarness;
  let log: UpdateLog;
  let n = 0;
  const meta = (over: Partial<Parameters<UpdateLog['append']>[2]> = {}) => ({
    replica: 'spec',
    members: ['a'.repeat(24)],
    msgId: `log-spec-${(n += 1)}`,
    ...over,
  });

  beforeAll(async () => {
    h = await startHistoryHarness('update-log');
    log = new UpdateLog(h.bus);
  });
  afterAll(() => h?.close());

  it('appends in order per doc and reads back only that doc, after a sequence', async () => {
    const a = docOf(1);
    const b = docOf(2);
    const s1 = await log.append(a, bytes(1), meta());
    const s2 = await log.append(b, bytes(2), meta({ members: [] }));
    const s3 = await log.append(a, bytes(3), meta({ replica: 'other' }));
    expect(s2).toBeGreaterThan(s1);
    expect(s3).toBeGreaterThan(s2);
    const all = await log.readAfter(a, 0);
    expect(all.map((e) => [e.seq, [...e.update], e.replica])).toEqual([
      [s1, [1], 'spec'],
      [s3, [3], 'other'],
    ]);
    expect(all[0]!.members).toEqual(['a'.repeat(24)]);
    expect(all[0]!.at).toBeInstanceOf(Date);
    expect((await log.readAfter(a, s1)).map((e) => e.seq)).toEqual([s3]);
    expect(await log.readAfter(a, s3)).toEqual([]);
    expect((await log.readAfter(b, 0))[0]!.members).toEqual([]);
    expect(await log.lastSeq(a)).toBe(s3);
    expect(await log.lastSeq(docOf(99))).toBe(0);
  });

  it('stores a re-append with the same msg id once and answers the first sequence', async () => {
    const d = docOf(3);
    const m = meta();
    const first = await log.append(d, bytes(7), m);
    const again = await log.append(d, bytes(7), m);
    expect(again).toBe(first);
    expect(await log.readAfter(d, 0)).toHaveLength(1);
  });

  it('refuses an append whose expected last sequence is stale (another replica wrote)', async () => {
    const d = docOf(4);
    const s1 = await log.append(d, bytes(1), meta({ expectLastSeq: 0 }));
    await expect(log.append(d, bytes(2), meta({ expectLastSeq: 0 }))).rejects.toBeInstanceOf(
      LogChainBroken,
    );
    const s2 = await log.append(d, bytes(2), meta({ expectLastSeq: s1 }));
    expect((await log.readAfter(d, 0)).map((e) => e.seq)).toEqual([s1, s2]);
  });

  it('purges a doc up to a sequence, leaving later entries and other docs alone', async () => {
    const d = docOf(5);
    const other = docOf(6);
    const seqs: number[] = [];
    for (let i = 0; i < 5; i += 1) seqs.push(await log.append(d, bytes(i), meta()));
    const kept = await log.append(other, bytes(9), meta());
    await log.purgeUpTo(d, seqs[2]!);
    expect((await log.readAfter(d, 0)).map((e) => e.seq)).toEqual(seqs.slice(3));
    expect((await log.readAfter(other, 0)).map((e) => e.seq)).toEqual([kept]);
    await log.purgeUpTo(d, seqs[4]!);
    expect(await log.readAfter(d, 0)).toEqual([]);
    // Nothing left on the subject: the chain starts again from 0.
    expect(await log.lastSeq(d)).toBe(0);
    await log.append(d, bytes(1), meta({ expectLastSeq: 0 }));
  });

  it('reads a tail longer than one pull batch', async () => {
    const d = docOf(7);
    for (let i = 0; i < 1_200; i += 1) await log.append(d, bytes(i % 256), meta());
    const tail = await log.readTail(d, 0);
    expect(tail.entries).toHaveLength(1_200);
    expect(tail.lastSeq).toBe(tail.entries[1_199]!.seq);
  });
});

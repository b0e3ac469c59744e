import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityEvents, pointsRpc } from '@agora/proto';
import { keysOf } from '../balances/balance-change.js';
import { newBatchId } from '../balances/balance-moves.repository.js';
import type { BalanceDoc } from '../balances/balance.schema.js';
import {
  eventually,
  startPointsHarness,
  type PointsHarness,
  type TestMember,
} from '../testing/index.js';
import { movesBetween } from './histogram-buckets.js';
import { HistogramRepository } from './histogram.repository.js';

const boards = [
  { period: 'all', limit: 5 },
  { period: 'month', limit: 5 },
  { period: 'all', country: 'TN', limit: 5 },
  { period: 'month', country: 'TN', limit: 5 },
] as const;

describe('leaderboards: my rank from the histograms (real nats-server, embedded store)', () => {
  let h: PointsHarness;
  let admin: TestMember;
  const members: TestMember[] = [];

  /** 1 + the members of the board with more points, counted straight from the balances. */
  const expectedRank = async (q: (typeof boards)[number], me: string) => {
    const all = await h.db.collection<BalanceDoc>('balances').find({}).toArray();
    const month = new Date().toISOString().slice(0, 7);
    const pointsOf = (b: BalanceDoc) =>
      q.period === 'all' ? b.balance : b.month === month ? b.monthPoints : 0;
    const on = all.filter(
      (b) =>
        (!('country' in q) || b.country === q.country) && (q.period === 'all' || b.month === month),
    );
    const mine = all.find((b) => b._id === me);
    if (!mine) throw new Error('no balance');
    return 1 + on.filter((b) => pointsOf(b) > pointsOf(mine)).length;
  };

  const checkAllRanks = async () => {
    for (const q of boards) {
      for (const m of members) {
        const board = await h.call(m, pointsRpc.leaderboardGet, q);
        if (board.me === null) continue;
        expect({ q, rank: board.me.rank }).toEqual({ q, rank: await expectedRank(q, m.id) });
      }
    }
  };

  beforeAll(async () => {
    h = await startPointsHarness();
    admin = await h.member('admin');
    for (let i = 0; i < 16; i += 1) members.push(await h.member());
    for (const m of members)
      await h.publish({
        def: identityEvents.memberRegistered,
        data: { memberId: m.id, invitedBy: null },
      });
    await h.drained();
    // Countries for half, and points spread so that several share a bucket above 256 (width 2+).
    for (const [i, m] of members.entries()) {
      if (i % 2 === 0) await h.call(m, pointsRpc.meGet, { country: 'TN' });
      const points = [0, 200, 201, 203, 204, 205, 900, 901, 903, 5, 5, 0, 3000, 3010, 3011, 1][i];
      if (points)
        await h.call(admin, pointsRpc.adjustmentCreate, {
          memberId: m.id,
          points,
          reason: 'spread for the spec',
        });
    }
  }, 120_000);

  afterAll(() => h?.stop());

  it('equals 1 + the members with more points, on all four boards, ties and shared buckets included', async () => {
    await checkAllRanks();
    // Nothing left on its way into the histograms.
    expect(await h.db.collection('balances').countDocuments({ 'moves.0': { $exists: true } })).toBe(
      0,
    );
    expect(await h.db.collection('histogram_batches').countDocuments()).toBe(0);
  }, 120_000);

  it('a move a crash left in a balance is folded in by the repair, once; a fold repeated counts once', async () => {
    const victim = members[3];
    if (!victim) throw new Error('no member');
    const balances = h.db.collection<BalanceDoc>('balances');
    const doc = await balances.findOne({ _id: victim.id });
    if (!doc) throw new Error('no balance');
    // What a kill after the balance write leaves: the new figures and their move, never folded.
    const after = { ...doc, balance: doc.balance + 500, monthPoints: doc.monthPoints + 500 };
    const b = newBatchId(Date.now() - 60_000);
    await balances.updateOne(
      { _id: victim.id },
      {
        $set: {
          balance: after.balance,
          monthPoints: after.monthPoints,
          ...keysOf(victim.id, after.balance, after.month, after.monthPoints, after.country),
        },
        $push: { moves: { b, d: movesBetween(doc, after) } },
      },
    );
    await eventually(async () => {
      expect(await balances.countDocuments({ 'moves.b': b })).toBe(0);
    });
    await checkAllRanks();

    const histograms = h.service.app.get(HistogramRepository);
    const before = await histograms.counts('all');
    const batch = {
      _id: newBatchId(),
      moves: [['all', 7, 2]] as [string, number, number][],
      members: [],
    };
    await histograms.fold(batch);
    await histograms.fold(batch);
    expect((await histograms.counts('all')).get(7)).toBe((before.get(7) ?? 0) + 2);
    await histograms.fold({ ...batch, _id: newBatchId(), moves: [['all', 7, -2]] });
  }, 120_000);

  it('the rebuild recomputes the histograms from the balances (and keeps them with its corrections)', async () => {
    await h.db.collection('histograms').deleteMany({});
    // The 500 points the spec above wrote without a ledger entry are corrected away.
    const report = await h.call(admin, pointsRpc.rebuild, {});
    expect(report.mismatches.map((m) => m.memberId)).toEqual([members[3]?.id]);
    await checkAllRanks();
    expect((await h.call(admin, pointsRpc.rebuild, {})).mismatches).toEqual([]);
    await checkAllRanks();
  }, 120_000);
});

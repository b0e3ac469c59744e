import { describe, expect, it } from 'vitest';
import { bucketOf, movesBetween, sumMoves } from './histogram-buckets.js';

describe('histogram buckets', () => {
  it('cover every integer once, exact below 256, then 128 per doubling', () => {
    let previousHi: number | null = null;
    for (let p = -5000; p <= 20_000; p += 1) {
      const { lo, hi } = bucketOf(p);
      expect(lo).toBeLessThanOrEqual(p);
      expect(hi).toBeGreaterThan(p);
      if (bucketOf(p - 1).lo !== lo) {
        expect(previousHi === null || previousHi === lo).toBe(true);
        previousHi = hi;
      }
    }
    expect(bucketOf(105)).toEqual({ lo: 105, hi: 106 });
    expect(bucketOf(300)).toEqual({ lo: 300, hi: 302 });
    expect(bucketOf(6000)).toEqual({ lo: 5984, hi: 6016 });
    expect(bucketOf(-1)).toEqual({ lo: -1, hi: 0 });
  });

  it('moves a balance out of its old cells into its new ones, on every board it is on', () => {
    const before = { balance: 100, month: '2026-11', monthPoints: 100, country: null };
    const after = { balance: 105, month: '2026-12', monthPoints: 5, country: 'TN' };
    expect(movesBetween(before, after).sort()).toEqual(
      [
        ['all', 100, -1],
        ['all', 105, 1],
        ['month:2026-11', 100, -1],
        ['month:2026-12', 5, 1],
        ['country:TN', 105, 1],
        ['cm:TN:2026-12', 5, 1],
      ].sort(),
    );
    // A new member is counted once on each board; moves that cancel out disappear.
    expect(movesBetween(null, before)).toEqual([
      ['all', 100, 1],
      ['month:2026-11', 100, 1],
    ]);
    expect(sumMoves([movesBetween(null, before), movesBetween(before, after)]).sort()).toEqual(
      movesBetween(null, after).sort(),
    );
  });
});

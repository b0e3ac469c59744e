import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { boardKey, boardRange, keyAbove, pointsOfKey, prefixOf } from './board-keys.js';

const id = () => randomBytes(12).toString('hex');

describe('leaderboard keys', () => {
  it('order members by points on every board, ties kept apart, points read back exactly', () => {
    for (const [board, country] of [
      ['all', null],
      ['month', null],
      ['country', 'TN'],
      ['country-month', 'ZZ'],
    ] as const) {
      const prefix = prefixOf(board, '2026-12', country);
      const { lo, hi } = boardRange(prefix);
      let previous = -Infinity;
      for (const points of [-5, 0, 1, 105, 106, 5000, 1_000_000]) {
        const a = boardKey(prefix, points, id());
        const b = boardKey(prefix, points, id());
        expect(a).toBeGreaterThanOrEqual(lo);
        expect(a).toBeLessThan(hi);
        expect(a).toBeGreaterThan(previous);
        expect(pointsOfKey(prefix, a)).toBe(points);
        expect(pointsOfKey(prefix, b)).toBe(points);
        // "More points than mine" starts above every key with my points.
        expect(keyAbove(prefix, points)).toBeGreaterThan(Math.max(a, b));
        expect(keyAbove(prefix, points)).toBeLessThanOrEqual(
          boardKey(prefix, points + 1, '0'.repeat(24)),
        );
        previous = Math.max(a, b);
      }
    }
  });

  it('keeps months and countries in separate ranges', () => {
    const nov = boardRange(prefixOf('month', '2026-11', null));
    const dec = boardRange(prefixOf('month', '2026-12', null));
    expect(nov.hi).toBeLessThanOrEqual(dec.lo);
    const tn = prefixOf('country-month', '2026-12', 'TN');
    const tnNext = prefixOf('country-month', '2027-01', 'TN');
    const gr = prefixOf('country-month', '2026-12', 'GR');
    expect(new Set([tn, tnNext, gr]).size).toBe(3);
  });
});

import { Decimal128, Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { Filter } from './query.js';

const match = (filter: Record<string, unknown>, doc: Record<string, unknown>) =>
  new Filter(filter).test(doc);

describe('Long and Decimal128 in filters', () => {
  it('compares stored Longs with plain numbers numerically', () => {
    const doc = { n: Long.fromNumber(7) };
    expect(match({ n: { $gt: 6 } }, doc)).toBe(true);
    expect(match({ n: { $lt: 6 } }, doc)).toBe(false);
    expect(match({ n: 7 }, doc)).toBe(true);
    expect(match({ n: { $ne: 7 } }, doc)).toBe(false);
    expect(match({ n: { $in: [1, 7] } }, doc)).toBe(true);
    expect(match({ n: { $nin: [1, 7] } }, doc)).toBe(false);
    expect(match({ n: { $gte: Long.fromNumber(7), $lte: 7 } }, doc)).toBe(true);
  });

  it('compares plain numbers against Long and Decimal128 filter values, arrays included', () => {
    expect(match({ n: { $gt: Long.fromNumber(6) } }, { n: 7 })).toBe(true);
    expect(match({ n: Decimal128.fromString('2.5') }, { n: 2.5 })).toBe(true);
    expect(match({ n: { $lt: Long.fromNumber(3) } }, { n: [10, 2] })).toBe(true);
    expect(match({ n: { $gt: 1 } }, { n: 'text' })).toBe(false);
    expect(match({ n: Long.fromString('9007199254740993') }, { n: 2 ** 53 })).toBe(false);
  });

  it('leaves ordinary comparisons to mingo (strings, null, missing)', () => {
    expect(match({ s: { $gt: 'a' } }, { s: 'b' })).toBe(true);
    expect(match({ s: { $ne: null } }, {})).toBe(false);
    expect(match({ s: null }, {})).toBe(true);
    expect(match({ s: { $in: [null, 'x'] } }, {})).toBe(true);
    expect(match({ s: { $nin: ['x'] } }, { s: 'y' })).toBe(true);
    expect(match({ n: { $gte: 2 } }, { n: 2 })).toBe(true);
  });
});

import { Binary, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareBson, keyOf } from './bson-order.js';
import { sortDocs } from './query.js';

describe('BSON order', () => {
  it('orders mixed types as MongoDB does', () => {
    const oid = new ObjectId();
    const values: unknown[] = [
      new MaxKey(),
      /re/,
      new Timestamp({ t: 1, i: 1 }),
      new Date(0),
      true,
      oid,
      new Binary(Buffer.from('x')),
      [1],
      { a: 1 },
      'abc',
      3,
      null,
      new MinKey(),
    ];
    const sorted = [...values].sort(compareBson);
    expect(sorted).toEqual([...values].reverse());
  });

  it('compares numbers across int, double and Long by value', () => {
    expect(compareBson(new Int32(2), 2.5)).toBeLessThan(0);
    expect(compareBson(Long.fromNumber(3), 2.5)).toBeGreaterThan(0);
    expect(compareBson(new Int32(3), 3)).toBe(0);
    expect(compareBson(Number.NaN, -Infinity)).toBeLessThan(0);
    expect(keyOf(new Int32(3))).toBe(keyOf(3));
    expect(keyOf(Long.fromNumber(3))).toBe(keyOf(3));
    expect(keyOf('3')).not.toBe(keyOf(3));
    // Past 2^53 a double cannot tell these apart; Longs compare and key exactly.
    const big = Long.fromString('9007199254740993');
    const bigMinus = Long.fromString('9007199254740992');
    expect(compareBson(big, bigMinus)).toBeGreaterThan(0);
    expect(compareBson(bigMinus, 2 ** 53)).toBe(0);
    expect(compareBson(big, 2 ** 53)).toBeGreaterThan(0);
    expect(keyOf(big)).not.toBe(keyOf(bigMinus));
    expect(keyOf(bigMinus)).toBe(keyOf(2 ** 53));
  });

  it('compares two plain numbers or two strings as it compares them across types', () => {
    // Plain pairs take a shortcut; these results must be the ones of the typed comparison.
    expect(compareBson(Number.NaN, Number.NaN)).toBe(0);
    expect(compareBson(Number.NaN, 1)).toBeLessThan(0);
    expect(compareBson(1, Number.NaN)).toBeGreaterThan(0);
    expect(compareBson(-0, 0)).toBe(0);
    expect(compareBson(-Infinity, -1e308)).toBeLessThan(0);
    expect(compareBson(2, new Int32(2))).toBe(0);
    expect(compareBson(2.5, 2)).toBeGreaterThan(0);
    expect(compareBson('b', 'ab')).toBeGreaterThan(0);
    expect(compareBson('', 'a')).toBeLessThan(0);
    expect(compareBson('x', 'x')).toBe(0);
    expect(compareBson('1', 2)).toBeGreaterThan(0); // strings sort above numbers
  });

  it('sorts documents with missing fields first and arrays by their extreme element', () => {
    const docs = [
      { _id: 1, v: 'b' },
      { _id: 2, v: 10 },
      { _id: 3 },
      { _id: 4, v: [5, 50] },
      { _id: 5, v: null },
      { _id: 6, v: new Date(1) },
      { _id: 7, v: [] },
    ];
    // An empty array sorts below null and missing fields.
    expect(sortDocs([...docs], { v: 1 }).map((d) => d._id)).toEqual([7, 3, 5, 4, 2, 1, 6]);
    // Descending: an array sorts by its largest element (50 > 10).
    expect(sortDocs([...docs], { v: -1 }).map((d) => d._id)).toEqual([6, 1, 4, 2, 3, 5, 7]);
  });
});

import { Long, ObjectId } from 'bson';
import { Query } from 'mingo/query';
import { describe, expect, it } from 'vitest';
import { MINGO_CONTEXT } from './mingo-context.js';
import { Filter } from './query.js';

type Doc = Record<string, unknown>;

describe('the store’s own matcher for simple filters', () => {
  // Deterministic pseudo-random values of every type the matcher compares, and ones it does not.
  let seed = 17;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const oids = [new ObjectId('65a000000000000000000001'), new ObjectId('65a000000000000000000002')];
  const scalar = (): unknown => {
    switch (rand(9)) {
      case 0:
        return `s${rand(4)}`;
      case 1:
        return new Date(rand(4) * 1000);
      case 2:
        return rand(2) === 0;
      case 3:
        return oids[rand(2)];
      case 4:
        return null;
      case 5:
        return Long.fromNumber(rand(6));
      default:
        return rand(6) + (rand(2) ? 0.5 : 0);
    }
  };
  const value = (): unknown => {
    const r = rand(10);
    if (r === 0) return undefined;
    if (r === 1) return [scalar(), scalar()];
    if (r === 2) return [];
    if (r === 3) return { x: scalar() };
    if (r === 4) return [{ x: scalar() }, { x: scalar() }];
    return scalar();
  };
  const docs: Doc[] = Array.from({ length: 400 }, (_, i) => {
    const d: Doc = { _id: i };
    for (const f of ['a', 'b']) {
      const v = value();
      if (v !== undefined) d[f] = v;
    }
    return d;
  });
  const operand = (): unknown => {
    // comparable operands only (null, NaN, arrays and objects go to mingo)
    for (;;) {
      const v = scalar();
      if (v !== null && !(v instanceof Long)) return v;
    }
  };
  const condition = (): unknown => {
    switch (rand(8)) {
      case 0:
        return operand();
      case 1:
        return { $eq: operand() };
      case 2:
        return { $ne: operand() };
      case 3:
        // short lists are compared value by value, long ones looked up by key
        return { $in: Array.from({ length: rand(2) ? 2 : 12 }, operand) };
      case 4:
        return { $gt: operand() };
      case 5:
        return { $lte: operand() };
      case 6:
        return { $gte: operand(), $lt: operand() };
      default:
        return { $gt: rand(6), $lt: rand(6) + 1 };
    }
  };

  it(
    'matches exactly what mingo’s evaluation matches, over every type, arrays and missing fields',
    { timeout: 60_000 },
    () => {
      for (let i = 0; i < 150; i++) {
        const spec: Doc = {};
        spec[['a', 'b', 'a.x'][rand(3)]!] = condition();
        if (rand(2)) spec.b = condition();
        const ours = new Filter(spec);
        const reference = new Query(spec, { context: MINGO_CONTEXT, scriptEnabled: false });
        for (const d of docs)
          expect(ours.test(d), `${JSON.stringify(spec)} on ${JSON.stringify(d)}`).toBe(
            reference.test(d),
          );
      }
    },
  );

  it('meets each bound of a range on its own: an array matches with two different elements', () => {
    const f = new Filter({ k: { $gt: 10, $lt: 20 } });
    expect(f.test({ k: [5, 2000] })).toBe(true);
    expect(f.test({ k: [5, 6] })).toBe(false);
    expect(f.test({ k: 'x' })).toBe(false);
    expect(new Filter({ k: { $gte: 5 } }).test({ k: NaN })).toBe(false);
    expect(new Filter({ k: { $ne: 5 } }).test({})).toBe(true);
    expect(new Filter({ k: { $ne: 5 } }).test({ k: [1, 5] })).toBe(false);
    expect(new Filter({ k: 5 }).test({ k: Long.fromNumber(5) })).toBe(true);
    expect(new Filter({ 'k.x': 's' }).test({ k: [{ x: 't' }, { x: 's' }] })).toBe(true);
    expect(new Filter({ k: 5 }).test({ k: [[5]] })).toBe(false);
  });
});

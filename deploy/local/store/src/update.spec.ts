import { describe, expect, it } from 'vitest';
import { applyUpdate, seedFromFilter, validateUpdate } from './update.js';

describe('updates', () => {
  it('seeds an upsert from the equality conditions of the filter', () => {
    expect(
      seedFromFilter({ a: 1, 'b.c': 'x', n: { $gt: 3 }, e: { $eq: 2 }, $and: [{ f: true }] }),
    ).toEqual({
      a: 1,
      b: { c: 'x' },
      e: 2,
      f: true,
    });
  });

  it('seeds from a one-element $in but never from a regex or other conditions', () => {
    expect(
      seedFromFilter({ a: { $in: ['only'] }, b: { $in: [1, 2] }, c: /^x/, d: { $exists: true } }),
    ).toEqual({ a: 'only' });
  });

  it('applies $setOnInsert only when inserting', () => {
    const spec = { $set: { v: 1 }, $setOnInsert: { createdAt: 'now' } };
    expect(applyUpdate({ _id: 1 }, spec, { query: {}, inserting: true })).toEqual({
      _id: 1,
      createdAt: 'now',
      v: 1,
    });
    expect(applyUpdate({ _id: 1 }, spec, { query: {}, inserting: false })).toEqual({
      _id: 1,
      v: 1,
    });
  });

  it('never mutates the stored document', () => {
    const doc = { _id: 1, list: [1, 2] };
    applyUpdate(doc, { $push: { list: 3 } }, { query: {}, inserting: false });
    expect(doc.list).toEqual([1, 2]);
  });

  it('updates the matched element with the positional operator', () => {
    const doc = {
      _id: 1,
      items: [
        { k: 'a', n: 1 },
        { k: 'b', n: 1 },
      ],
    };
    const next = applyUpdate(
      doc,
      { $inc: { 'items.$.n': 5 } },
      { query: { 'items.k': 'b' }, inserting: false },
    );
    expect(next.items).toEqual([
      { k: 'a', n: 1 },
      { k: 'b', n: 6 },
    ]);
  });

  it('refuses unknown modifiers, conflicts and non-numeric increments before touching anything', () => {
    expect(() => validateUpdate({ $frob: { a: 1 } })).toThrow(/Unknown modifier: \$frob/);
    expect(() => validateUpdate({ $set: { a: 1 }, $inc: { a: 1 } })).toThrow(/conflict/);
    expect(() => validateUpdate({ $inc: { a: 'x' } })).toThrow(/non-numeric/);
  });
});

import { update as mingoUpdate } from 'mingo/updater';
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

describe('$pull by a condition on the fields of array documents (applied by the store itself)', () => {
  let seed = 29;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const scalar = (): unknown => [`s${rand(3)}`, rand(3), rand(2) === 0, new Date(rand(2))][rand(4)];
  // documents only: mingo also removes a scalar element equal to a condition's value, where
  // mongod never matches a condition on fields against an element that is not a document
  const element = (): unknown => {
    const e: Record<string, unknown> = {};
    if (rand(4)) e.b = rand(4) === 0 ? [scalar(), scalar()] : scalar();
    if (rand(2)) e.d = { x: scalar() };
    return e;
  };
  const condition = (): Record<string, unknown> => {
    switch (rand(4)) {
      case 0:
        return { b: scalar() };
      case 1:
        return { b: scalar(), 'd.x': scalar() };
      case 2:
        return { b: { $in: [scalar(), scalar()] } };
      default:
        return { 'd.x': { $ne: scalar() } };
    }
  };

  it('removes exactly what mingo’s updater removes, and keeps the rest in order', () => {
    for (let i = 0; i < 2_000; i++) {
      const doc = { _id: i, moves: Array.from({ length: rand(6) }, element), n: 1 };
      const spec = { $pull: { moves: condition() } };
      const reference = structuredClone(doc);
      mingoUpdate(reference, spec as never, undefined, undefined, { cloneMode: 'deep' });
      const ours = applyUpdate(doc, spec, { query: {}, inserting: false });
      expect(ours, `${JSON.stringify(spec)} on ${JSON.stringify(doc)}`).toEqual(reference);
    }
  });

  it('applies one statement’s condition to many documents as a fresh copy of it would to each', () => {
    // One update statement is one spec object for every document it updates (its matcher is
    // built once): each document still loses exactly its own matching elements.
    for (let round = 0; round < 50; round++) {
      const spec = { $pull: { moves: condition() }, $inc: { n: 2 }, $set: { seen: round } };
      for (let i = 0; i < 40; i++) {
        const doc = { _id: i, moves: Array.from({ length: rand(6) }, element), n: i };
        const alone = applyUpdate(doc, structuredClone(spec), { query: {}, inserting: false });
        const shared = applyUpdate(doc, spec, { query: {}, inserting: false });
        expect(shared, `${JSON.stringify(spec)} on ${JSON.stringify(doc)}`).toEqual(alone);
        expect(shared.n).toBe(i + 2);
      }
    }
  });

  it('changes nothing it does not remove, and leaves the stored version as it was', () => {
    const moves = [{ b: 'x', d: [1] }, { b: 'y' }, 'b', 'x', ['x']];
    const doc = { _id: 1, moves, other: { k: 1 } };
    const next = applyUpdate(
      doc,
      { $pull: { moves: { b: 'x' } } },
      { query: {}, inserting: false },
    );
    // as mongod: elements that are not documents never match (mingo's updater removed 'x')
    expect(next).toEqual({ _id: 1, moves: [{ b: 'y' }, 'b', 'x', ['x']], other: { k: 1 } });
    expect(doc.moves).toBe(moves);
    expect(moves).toHaveLength(5);
    expect(next.other).toBe(doc.other); // shared, not copied
    const same = applyUpdate(
      doc,
      { $pull: { moves: { b: 'z' } } },
      { query: {}, inserting: false },
    );
    expect(same.moves).toBe(moves);
    expect(
      applyUpdate({ _id: 2 }, { $pull: { moves: { b: 'x' } } }, { query: {}, inserting: false }),
    ).toEqual({ _id: 2 });
  });
});

// Every update operator our services use, each checked on the stored document afterwards,
// plus the positional forms ($, $[], arrayFilters) and the errors MongoDB gives for misuse.
import { describe, expect, it } from 'vitest';
import type { Document } from 'mongodb';
import { errorOf, useStore } from './store-fixture.js';

const f = useStore('update_ops');

async function applied(
  doc: Document,
  update: Document,
  options: Document = {},
): Promise<Document | null> {
  const c = f.coll('upd');
  await c.deleteMany({});
  await c.insertOne({ _id: 1, ...doc });
  await c.updateOne({ _id: 1 }, update, options);
  return c.findOne({ _id: 1 } as Document, { projection: { _id: 0 } });
}

describe('store conformance: update operators', () => {
  it('$set (top-level, dotted, creating intermediate objects) and $unset', async () => {
    expect(
      await applied({ a: 1, b: { c: 1 } }, { $set: { a: 2, 'b.d': 3, 'x.y.z': 'deep' } }),
    ).toEqual({
      a: 2,
      b: { c: 1, d: 3 },
      x: { y: { z: 'deep' } },
    });
    expect(
      await applied({ a: 1, b: { c: 1, d: 2 } }, { $unset: { a: '', 'b.c': 1, missing: 1 } }),
    ).toEqual({
      b: { d: 2 },
    });
  });

  it('$inc and $mul on ints, doubles and missing fields', async () => {
    expect(
      await applied({ n: 1, d: 1.5 }, { $inc: { n: 2, d: -0.5, fresh: 5, 'o.count': 1 } }),
    ).toEqual({
      n: 3,
      d: 1,
      fresh: 5,
      o: { count: 1 },
    });
    expect(await applied({ n: 3, d: 2.5 }, { $mul: { n: 4, d: 2, fresh: 3 } })).toEqual({
      n: 12,
      d: 5,
      fresh: 0,
    });
  });

  it('$min and $max only move the value in their direction (numbers and dates)', async () => {
    const early = new Date('2020-01-01T00:00:00Z');
    const late = new Date('2030-01-01T00:00:00Z');
    const mid = new Date('2025-01-01T00:00:00Z');
    expect(
      await applied({ lo: 5, hi: 5, t: mid }, { $min: { lo: 3, hi: 9 }, $max: { t: late } }),
    ).toEqual({
      lo: 3,
      hi: 5,
      t: late,
    });
    expect(
      await applied(
        { lo: 5, hi: 5, t: mid },
        { $max: { lo: 3, hi: 9, fresh: 1 }, $min: { t: early } },
      ),
    ).toEqual({ lo: 5, hi: 9, t: early, fresh: 1 });
  });

  it('$rename moves a field (top-level and dotted)', async () => {
    expect(
      await applied({ a: 1, o: { b: 2 }, keep: true }, { $rename: { a: 'z', 'o.b': 'o.c' } }),
    ).toEqual({
      keep: true,
      o: { c: 2 },
      z: 1,
    });
  });

  it('$currentDate sets a server date (and a Timestamp when asked)', async () => {
    const before = Date.now();
    const doc = await applied({}, { $currentDate: { at: true, at2: { $type: 'date' } } });
    const after = Date.now();
    expect(doc?.at).toBeInstanceOf(Date);
    expect(doc?.at2).toBeInstanceOf(Date);
    const at = (doc?.at as Date).getTime();
    expect(at).toBeGreaterThanOrEqual(before - 2_000);
    expect(at).toBeLessThanOrEqual(after + 2_000);
  });

  it('$push with $each, $slice and $position; plain $push appends', async () => {
    expect(await applied({ arr: [1, 2] }, { $push: { arr: 3 } })).toEqual({ arr: [1, 2, 3] });
    expect(await applied({}, { $push: { arr: 'first' } })).toEqual({ arr: ['first'] });
    expect(await applied({ arr: [1, 2] }, { $push: { arr: { $each: [3, 4, 5] } } })).toEqual({
      arr: [1, 2, 3, 4, 5],
    });
    // keep only the last 3 (a bounded "recent" list)
    expect(
      await applied({ arr: [1, 2] }, { $push: { arr: { $each: [3, 4, 5], $slice: -3 } } }),
    ).toEqual({
      arr: [3, 4, 5],
    });
    expect(
      await applied({ arr: [1, 2] }, { $push: { arr: { $each: [3, 4, 5], $slice: 2 } } }),
    ).toEqual({
      arr: [1, 2],
    });
    expect(
      await applied({ arr: [1, 2, 3] }, { $push: { arr: { $each: ['a', 'b'], $position: 1 } } }),
    ).toEqual({
      arr: [1, 'a', 'b', 2, 3],
    });
    expect(
      await applied(
        { arr: [1, 2, 3] },
        { $push: { arr: { $each: [0], $position: 0, $slice: 3 } } },
      ),
    ).toEqual({
      arr: [0, 1, 2],
    });
  });

  it('$pull by value and by condition; $pop first and last; $addToSet with and without $each', async () => {
    expect(await applied({ arr: [1, 2, 1, 3] }, { $pull: { arr: 1 } })).toEqual({ arr: [2, 3] });
    expect(await applied({ arr: [1, 5, 9] }, { $pull: { arr: { $gte: 5 } } })).toEqual({
      arr: [1],
    });
    expect(
      await applied(
        {
          subs: [
            { u: 'a', n: 1 },
            { u: 'b', n: 2 },
          ],
        },
        { $pull: { subs: { u: 'a' } } },
      ),
    ).toEqual({ subs: [{ u: 'b', n: 2 }] });
    expect(await applied({ arr: [1, 2, 3] }, { $pop: { arr: 1 } })).toEqual({ arr: [1, 2] });
    expect(await applied({ arr: [1, 2, 3] }, { $pop: { arr: -1 } })).toEqual({ arr: [2, 3] });
    expect(await applied({ arr: ['x'] }, { $addToSet: { arr: 'x' } })).toEqual({ arr: ['x'] });
    expect(
      await applied({ arr: ['x'] }, { $addToSet: { arr: { $each: ['x', 'y', 'y'] } } }),
    ).toEqual({
      arr: ['x', 'y'],
    });
    expect(await applied({}, { $addToSet: { arr: { k: 1 } } })).toEqual({ arr: [{ k: 1 }] });
  });

  it('$pullAll removes every listed value; $push with $sort keeps a sorted bounded list', async () => {
    expect(await applied({ arr: [1, 2, 3, 2, 4] }, { $pullAll: { arr: [2, 4] } })).toEqual({
      arr: [1, 3],
    });
    expect(
      await applied(
        { top: [{ s: 5 }, { s: 9 }] },
        { $push: { top: { $each: [{ s: 7 }, { s: 1 }], $sort: { s: -1 }, $slice: 3 } } },
      ),
    ).toEqual({ top: [{ s: 9 }, { s: 7 }, { s: 5 }] });
    expect(await applied({ xs: [3, 1] }, { $push: { xs: { $each: [2], $sort: 1 } } })).toEqual({
      xs: [1, 2, 3],
    });
  });

  it('several operators in one update apply together', async () => {
    expect(
      await applied(
        { n: 1, arr: [], gone: 1 },
        { $inc: { n: 1 }, $push: { arr: 'a' }, $unset: { gone: 1 }, $set: { s: 's' } },
      ),
    ).toEqual({ n: 2, arr: ['a'], s: 's' });
  });

  it('positional $ updates the first matched array element', async () => {
    const c = f.coll('upd');
    // without an array match in the query, `$` has nothing to point at: MongoDB refuses (code 2)
    await c.deleteMany({});
    await c.insertOne({ _id: 1, items: [{ sku: 'a', qty: 1 }] });
    const noMatch = await errorOf(() => c.updateOne({ _id: 1 }, { $inc: { 'items.$.qty': 1 } }));
    expect(noMatch.code).toBe(2);
    expect(String(noMatch.errmsg)).toContain(
      'positional operator did not find the match needed from the query',
    );
    await c.deleteMany({});
    await c.insertOne({
      _id: 2,
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 1 },
        { sku: 'b', qty: 5 },
      ],
    });
    const res = await c.updateOne({ _id: 2, 'items.sku': 'b' }, { $inc: { 'items.$.qty': 10 } });
    expect(res.modifiedCount).toBe(1);
    expect((await c.findOne({ _id: 2 }))?.items).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 11 },
      { sku: 'b', qty: 5 },
    ]);
    await c.updateOne(
      { _id: 2, items: { $elemMatch: { sku: 'b', qty: 5 } } },
      {
        $set: { 'items.$.sku': 'c' },
      },
    );
    expect((await c.findOne({ _id: 2 }))?.items).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 11 },
      { sku: 'c', qty: 5 },
    ]);
  });

  it('all-positional $[] updates every element', async () => {
    expect(
      await applied(
        { items: [{ q: 1 }, { q: 2 }], nums: [1, 2] },
        { $inc: { 'items.$[].q': 1, 'nums.$[]': 10 } },
      ),
    ).toEqual({ items: [{ q: 2 }, { q: 3 }], nums: [11, 12] });
  });

  it('arrayFilters update only the elements that match the identifier', async () => {
    expect(
      await applied(
        {
          grades: [
            { g: 80, seen: false },
            { g: 95, seen: false },
            { g: 99, seen: false },
          ],
          xs: [1, 5, 9],
        },
        { $set: { 'grades.$[hi].seen': true, 'xs.$[big]': 0 } },
        { arrayFilters: [{ 'hi.g': { $gte: 90 } }, { big: { $gt: 4 } }] },
      ),
    ).toEqual({
      grades: [
        { g: 80, seen: false },
        { g: 95, seen: true },
        { g: 99, seen: true },
      ],
      xs: [1, 0, 0],
    });
  });

  // write errors carry {index, code, errmsg} (no codeName), as on MongoDB
  it('errors: conflicting paths (40), $inc on a string (14), changing _id (66), unknown modifier (9)', async () => {
    const c = f.coll('upd_err');
    await c.insertOne({ _id: 1, s: 'text', n: 1 });
    const conflict = await errorOf(() =>
      c.updateOne({ _id: 1 }, { $set: { n: 2 }, $inc: { n: 1 } }),
    );
    expect(conflict.code).toBe(40);
    // $setOnInsert takes part in the conflict check even when the document exists
    const soi = await errorOf(() =>
      c.updateOne({ _id: 1 }, { $setOnInsert: { n: 0 }, $inc: { n: 1 } }, { upsert: true }),
    );
    expect(soi.code).toBe(40);
    const mismatch = await errorOf(() => c.updateOne({ _id: 1 }, { $inc: { s: 1 } }));
    expect(mismatch.code).toBe(14);
    const immutable = await errorOf(() => c.updateOne({ _id: 1 }, { $set: { _id: 2 } }));
    expect(immutable.code).toBe(66);
    const unknown = await errorOf(() => c.updateOne({ _id: 1 }, { $frobnicate: { n: 1 } }));
    expect(unknown.code).toBe(9);
    expect(String(unknown.errmsg)).toContain('$frobnicate');
    // nothing above changed the document
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, s: 'text', n: 1 });
  });
});

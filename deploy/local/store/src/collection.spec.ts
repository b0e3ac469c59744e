import { describe, expect, it } from 'vitest';
import { Collection } from './collection.js';
import { runUpdate } from './commands/write.js';
import { CommandError, DuplicateKeyError } from './errors.js';
import { validateIndexSpec } from './index-def.js';
import type { JournalRecord } from './journal.js';
import { Filter, sortDocs } from './query.js';

function users(n: number): Collection {
  const c = new Collection('db', 'users');
  for (let i = 0; i < n; i++) c.add({ _id: i, email: `u${i}@x`, age: i % 50, tags: [`t${i % 3}`] });
  return c;
}

describe('collection', () => {
  it('answers equality, $in and ranges on an indexed field from the index, not a scan', () => {
    const c = users(1000);
    c.createIndex(validateIndexSpec({ key: { age: 1 }, name: 'age_1' }));
    expect(c.find(new Filter({ age: 7 }))).toHaveLength(20);
    expect(c.lastPlan).toBe('IXSCAN { age_1 }');
    expect(c.lastExamined).toBe(20);
    expect(c.find(new Filter({ age: { $in: [1, 2] } }))).toHaveLength(40);
    expect(c.lastExamined).toBe(40);
    expect(c.find(new Filter({ age: { $gte: 48 } }))).toHaveLength(40);
    expect(c.lastExamined).toBe(40);
    // Not on an index: a scan, and the counter says so.
    c.find(new Filter({ email: 'u1@x' }));
    expect(c.lastPlan).toBe('COLLSCAN');
    expect(c.lastExamined).toBe(1000);
  });

  it('prefers the most selective equality index over a broad one and over ranges', () => {
    const c = users(1000);
    c.createIndex(validateIndexSpec({ key: { age: 1 }, name: 'age_1' }));
    c.createIndex(validateIndexSpec({ key: { email: 1 }, name: 'email_1', unique: true }));
    expect(c.find(new Filter({ age: 7, email: 'u7@x' })).map((d) => d._id)).toEqual([7]);
    expect(c.lastPlan).toBe('IXSCAN { email_1 }');
    expect(c.lastExamined).toBe(1);
    expect(c.find(new Filter({ age: { $gte: 0 }, email: { $in: ['u1@x', 'u2@x'] } }))).toHaveLength(
      2,
    );
    expect(c.lastPlan).toBe('IXSCAN { email_1 }');
    expect(c.lastExamined).toBe(2);
  });

  it('answers $elemMatch on an array of subdocuments from the index on the subfield (the outbox poll)', () => {
    const c = new Collection('db', 'members');
    for (let i = 0; i < 500; i++)
      c.add({ _id: i, outbox: i % 100 === 0 ? [{ _id: `e${i}`, at: i }, { _id: i }] : [] });
    c.createIndex(validateIndexSpec({ key: { 'outbox._id': 1 }, name: 'outbox._id_1' }));
    const poll = new Filter({ outbox: { $elemMatch: { _id: { $type: 'string' } } } });
    expect(c.find(poll).map((d) => d._id)).toEqual([0, 100, 200, 300, 400]);
    expect(c.lastPlan).toBe('IXSCAN { outbox._id_1 }');
    expect(c.lastExamined).toBe(5);
    // Candidates from one subfield still meet the whole $elemMatch (same element for both).
    const both = new Filter({ outbox: { $elemMatch: { _id: { $type: 'string' }, at: 200 } } });
    expect(c.find(both).map((d) => d._id)).toEqual([200]);
    expect(c.lastPlan).toBe('IXSCAN { outbox._id_1 }');
    // $elemMatch beside another operator on the same field is not planned from it.
    c.find(new Filter({ outbox: { $elemMatch: { _id: 'e0' }, $size: 2 } }));
    expect(c.lastPlan).toBe('COLLSCAN');
  });

  it('looks _id equality and $in up directly, in _id order', () => {
    const c = users(100);
    expect(c.find(new Filter({ _id: { $in: [9, 3, 3, 200] } })).map((d) => d._id)).toEqual([3, 9]);
    expect(c.lastPlan).toBe('IDHACK');
    expect(c.lastExamined).toBe(2);
  });

  it('a compound index plans on its leading field and keeps multikey entries in step', () => {
    const c = users(30);
    c.createIndex(validateIndexSpec({ key: { tags: 1, age: -1 }, name: 'tags_1_age_-1' }));
    expect(c.find(new Filter({ tags: 't1', age: { $lt: 10 } })).map((d) => d._id)).toEqual([
      1, 4, 7,
    ]);
    expect(c.lastExamined).toBe(10);
    const records: JournalRecord[] = [];
    runUpdate(
      c,
      { q: { _id: 1 }, u: { $set: { tags: ['t2'] } }, multi: false, upsert: false },
      records,
    );
    expect(c.find(new Filter({ tags: 't1' })).map((d) => d._id)).toEqual([
      4, 7, 10, 13, 16, 19, 22, 25, 28,
    ]);
    expect(c.find(new Filter({ tags: 't2' })).map((d) => d._id)).toContain(1);
    expect(records).toHaveLength(1);
  });

  it('a failed update (unique clash) changes nothing: document, indexes and journal', () => {
    const c = users(10);
    c.createIndex(validateIndexSpec({ key: { email: 1 }, name: 'email_1', unique: true }));
    const before = c.getById(2);
    const records: JournalRecord[] = [];
    expect(() =>
      runUpdate(
        c,
        { q: { _id: 2 }, u: { $set: { email: 'u3@x', age: 99 } }, multi: false, upsert: false },
        records,
      ),
    ).toThrow(DuplicateKeyError);
    expect(c.getById(2)).toBe(before);
    expect(c.find(new Filter({ email: 'u2@x' })).map((d) => d._id)).toEqual([2]);
    expect(c.find(new Filter({ email: 'u3@x' })).map((d) => d._id)).toEqual([3]);
    expect(records).toEqual([]);
  });

  it('an upsert that would duplicate a unique key inserts nothing', () => {
    const c = users(3);
    c.createIndex(validateIndexSpec({ key: { email: 1 }, name: 'email_1', unique: true }));
    const records: JournalRecord[] = [];
    expect(() =>
      runUpdate(
        c,
        { q: { _id: 77 }, u: { $set: { email: 'u0@x' } }, multi: false, upsert: true },
        records,
      ),
    ).toThrow(
      /E11000 duplicate key error collection: db.users index: email_1 dup key: \{ email: "u0@x" \}/,
    );
    expect(c.docs.size).toBe(3);
    expect(records).toEqual([]);
  });

  it('refuses an index that existing documents violate, and keeps the collection unchanged', () => {
    const c = users(10);
    expect(() =>
      c.createIndex(validateIndexSpec({ key: { age: 1 }, name: 'age_1', unique: false })),
    ).not.toThrow();
    c.add({ _id: 'dup', email: 'u1@x', age: 1, tags: [] });
    expect(() =>
      c.createIndex(validateIndexSpec({ key: { email: 1 }, name: 'email_1', unique: true })),
    ).toThrow(CommandError);
    expect([...c.indexes.keys()]).toEqual(['age_1']);
  });

  it('sparse and partial indexes are maintained but never used to plan (they miss documents)', () => {
    const c = new Collection('db', 'p');
    c.createIndex(
      validateIndexSpec({ key: { code: 1 }, name: 'code_1', unique: true, sparse: true }),
    );
    c.createIndex(
      validateIndexSpec({
        key: { slug: 1 },
        name: 'slug_1',
        unique: true,
        partialFilterExpression: { deleted: false },
      }),
    );
    c.add({ _id: 1, deleted: false, slug: 'a' });
    c.add({ _id: 2, deleted: true, slug: 'a' });
    c.checkUnique({ _id: 3, deleted: true, slug: 'a' });
    expect(() => c.checkUnique({ _id: 4, deleted: false, slug: 'a' })).toThrow(DuplicateKeyError);
    expect(() => c.checkUnique({ _id: 5, code: 'x' })).not.toThrow();
    expect(c.find(new Filter({ slug: 'a' })).map((d) => d._id)).toEqual([1, 2]);
    expect(c.lastPlan).toBe('COLLSCAN');
  });
});

describe('collection: index-order finds and index counts', () => {
  /** Deterministic pseudo-random documents: ties, mixed types, missing fields. */
  function board(n: number, seed: number, withArrays = false): Collection {
    let s = seed;
    const rand = (m: number) => (s = (s * 1103515245 + 12345) % 2 ** 31) % m;
    const c = new Collection('db', 'board');
    c.createIndex(validateIndexSpec({ key: { k: 1 }, name: 'k_1' }));
    c.createIndex(validateIndexSpec({ key: { ch: 1, seq: 1 }, name: 'ch_1_seq_1' }));
    for (let i = 0; i < n; i++) {
      const roll = rand(20);
      const k =
        roll === 0
          ? `s${rand(30)}`
          : roll === 1
            ? null
            : roll === 2
              ? undefined
              : roll === 3
                ? new Date(rand(50) * 1000)
                : roll === 4
                  ? rand(2) === 0
                  : roll === 5 && withArrays
                    ? [rand(100), rand(100)]
                    : rand(100) + (rand(3) === 0 ? 0.5 : 0);
      const doc: Doc = {
        _id: `d${rand(1_000_000)}-${i}`,
        ch: `c${rand(4)}`,
        seq: rand(60),
        g: rand(3),
      };
      if (k !== undefined) doc.k = k;
      c.add(doc);
    }
    return c;
  }
  type Doc = Record<string, unknown>;

  const filters: Doc[] = [
    { k: { $gte: 20, $lt: 70 } },
    { k: { $gt: 50 } },
    { k: { $lte: 10.5 } },
    { k: 42 },
    { k: { $eq: 42.5 } },
    { k: { $in: [3, 3.0, 97, 's4'] } },
    { k: { $gte: 's1' } },
    { k: { $lt: new Date(20_000) } },
    { k: true },
    { k: { $gt: 5, $lt: 's9' } },
    { k: { $gte: 1000 } },
  ];

  it('counts an index range without reading documents, exactly as testing every document does', () => {
    const c = board(3000, 11);
    for (const spec of filters) {
      const f = new Filter(spec);
      const expected = [...c.docs.values()].filter((d) => f.test(d)).length;
      expect(c.countFast(f), JSON.stringify(spec)).toBe(expected);
    }
    expect(c.countFast(new Filter({}))).toBe(3000);
    // not one exact condition on an indexed field: the caller tests documents instead
    expect(c.countFast(new Filter({ k: { $gte: 1 }, g: 1 }))).toBeNull();
    expect(c.countFast(new Filter({ k: { $gte: 1, $ne: 5 } }))).toBeNull();
    expect(c.countFast(new Filter({ g: 1 }))).toBeNull();
    expect(c.countFast(new Filter({ k: { $gt: 1, $gte: 2 } }))).toBeNull();
    expect(c.countFast(new Filter({ k: { $gte: NaN } }))).toBeNull();
    // a compound index counts its leading field, and a point on it with a condition on the next
    const truth = (spec: Doc) => {
      const f = new Filter(spec);
      return [...c.docs.values()].filter((d) => f.test(d)).length;
    };
    for (const spec of [
      { ch: { $in: ['c1', 'c3'] } },
      { ch: 'c1', seq: { $gt: 10 } },
      { seq: { $lte: 30 }, ch: 'c2' },
      { ch: 'c0', seq: { $in: [1, 2, 3, 59] } },
      { ch: 'c3', seq: 7 },
      { ch: { $gte: 'c1', $lte: 'c1' }, seq: { $lt: 5 } },
    ])
      expect(c.countFast(new Filter(spec)), JSON.stringify(spec)).toBe(truth(spec));
    expect(c.countFast(new Filter({ ch: { $gt: 'c1', $lt: 'c1' }, seq: 3 }))).toBeNull();
    expect(c.countFast(new Filter({ ch: { $in: ['c1', 'c2'] }, seq: 3 }))).toBeNull();
    expect(c.countFast(new Filter({ seq: 3 }))).toBeNull();
  });

  it('stays exact through updates and removes, and gives up once an indexed field holds an array', () => {
    const c = board(2000, 5);
    const f = new Filter({ k: { $gte: 30, $lt: 60 } });
    const truth = () => [...c.docs.values()].filter((d) => f.test(d)).length;
    const docs = [...c.docs.values()];
    for (const [i, d] of docs.entries()) {
      if (i % 3 === 0) c.replace(d, { ...d, k: (i * 7) % 100 });
      else if (i % 7 === 0) c.remove(d);
    }
    expect(c.countFast(f)).toBe(truth());
    const first = [...c.docs.values()][0]!;
    c.replace(first, { ...first, k: [35, 90] });
    expect(c.countFast(f)).toBeNull();
    const again = c.getById(first._id)!;
    c.replace(again, { ...again, k: 35 });
    expect(c.countFast(f)).toBe(truth());
  });

  it(
    'reads a sorted, limited find in index order and returns what sorting every match gives',
    { timeout: 30_000 },
    () => {
      for (const withArrays of [false, true]) {
        const c = board(1200, withArrays ? 3 : 9, withArrays);
        const cases: { q: Doc; sort: Doc }[] = [
          ...filters.map((q) => ({ q, sort: { k: -1 } })),
          ...filters.map((q) => ({ q, sort: { k: 1 } })),
          { q: { k: { $gte: 10 }, g: 2 }, sort: { k: -1 } },
          { q: { ch: 'c2' }, sort: { seq: -1 } },
          { q: { ch: 'c2', seq: { $lt: 30 } }, sort: { seq: -1 } },
          { q: { ch: 'c1', seq: { $gt: 10, $lte: 40 } }, sort: { seq: 1 } },
          { q: { ch: 'c0', g: 1 }, sort: { seq: -1 } },
          { q: { ch: { $in: ['c0', 'c1'] } }, sort: { ch: -1 } },
        ];
        for (const { q, sort } of cases) {
          for (const [skip, limit] of [
            [0, 10],
            [5, 20],
            [0, 0],
            [3, 1],
          ] as const) {
            const f = new Filter(q);
            // the plan's matches in index order, sorted stably: the result the store always gave
            const reference = sortDocs([...c.find(f)], sort).slice(
              skip,
              limit ? skip + limit : undefined,
            );
            const got = c.find(f, { sort, skip, limit: limit || undefined });
            expect(
              got.map((d) => d._id),
              `${JSON.stringify(q)} sort ${JSON.stringify(sort)} skip ${skip} limit ${limit}`,
            ).toEqual(reference.map((d) => d._id));
          }
        }
      }
    },
  );

  it('reads only as many entries as a top 10 needs', () => {
    const c = new Collection('db', 'members');
    c.createIndex(validateIndexSpec({ key: { k: 1 }, name: 'k_1' }));
    for (let i = 0; i < 20_000; i++) c.add({ _id: i, k: i % 5000 });
    const top = c.find(new Filter({ k: { $gte: 0, $lt: 1e9 } }), { sort: { k: -1 }, limit: 10 });
    expect(top.map((d) => d.k)).toEqual([
      4999, 4999, 4999, 4999, 4998, 4998, 4998, 4998, 4997, 4997,
    ]);
    // ties come back in index order (by _id), as a stable sort of the range left them
    expect(top.slice(0, 4).map((d) => d._id)).toEqual([14999, 19999, 4999, 9999]);
    expect(c.lastPlan).toBe('IXSCAN { k_1 }');
    expect(c.lastExamined).toBeLessThanOrEqual(12);
  });
});

describe('collection: ranges on a multikey index', () => {
  it('finds an array whose elements meet the two bounds separately (one bound is the index bound)', () => {
    const c = new Collection('db', 'scores');
    c.createIndex(validateIndexSpec({ key: { k: 1 }, name: 'k_1' }));
    for (let i = 0; i < 100; i++) c.add({ _id: i, k: i });
    c.add({ _id: 'arr', k: [5, 2000] });
    const f = new Filter({ k: { $gt: 10, $lt: 20 } });
    expect(c.find(f).map((d) => d._id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 'arr']);
    expect(c.lastPlan).toBe('IXSCAN { k_1 }');
    expect(c.countFast(f)).toBeNull();
    // both bounds on one element inside $elemMatch: the index range is exact
    const e = new Filter({ k: { $elemMatch: { $gt: 10, $lt: 20 } } });
    expect(c.find(e).map((d) => d._id)).toEqual([]);
  });
});

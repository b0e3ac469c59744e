import { describe, expect, it } from 'vitest';
import { Collection } from './collection.js';
import { runUpdate } from './commands/write.js';
import { CommandError, DuplicateKeyError } from './errors.js';
import { validateIndexSpec } from './index-def.js';
import type { JournalRecord } from './journal.js';
import { Filter } from './query.js';

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

import { Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { Index, validateIndexSpec } from './index-def.js';
import { DuplicateKeyError } from './errors.js';

const idx = (raw: Record<string, unknown>) => new Index(validateIndexSpec(raw), 'db.c');

describe('index', () => {
  it('finds equality and ranges in BSON order', () => {
    const i = idx({ key: { n: 1 }, name: 'n_1' });
    [5, 1, 'a', 3, null].forEach((n, k) => i.add({ _id: k, n }, String(k)));
    expect(i.range({ value: 3, inclusive: true }, { value: 3, inclusive: true })).toEqual(['3']);
    expect(i.range({ value: 1, inclusive: false }, { value: 5, inclusive: true })).toEqual([
      '3',
      '0',
    ]);
    expect(i.range(undefined, { value: null, inclusive: true })).toEqual(['4']);
  });

  it('raises E11000 with the key for a unique clash, not for the same document', () => {
    const i = idx({ key: { email: 1 }, name: 'email_1', unique: true });
    i.add({ _id: 1, email: 'a@x' }, '1');
    expect(() => i.checkUnique({ _id: 1, email: 'a@x' }, '1')).not.toThrow();
    try {
      i.checkUnique({ _id: 2, email: 'a@x' }, '2');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DuplicateKeyError);
      expect((err as DuplicateKeyError).message).toBe(
        'E11000 duplicate key error collection: db.c index: email_1 dup key: { email: "a@x" }',
      );
    }
  });

  it('indexes every element of an array (multikey) and removes them all', () => {
    const i = idx({ key: { tags: 1 }, name: 'tags_1' });
    i.add({ _id: 1, tags: ['a', 'b', 'a'] }, '1');
    expect(i.size).toBe(2);
    i.remove({ _id: 1, tags: ['a', 'b', 'a'] }, '1');
    expect(i.size).toBe(0);
  });

  it('leaves out documents a sparse or partial index does not cover', () => {
    const sparse = idx({ key: { s: 1 }, name: 's_1', sparse: true, unique: true });
    sparse.add({ _id: 1 }, '1');
    expect(() => sparse.checkUnique({ _id: 2 }, '2')).not.toThrow();
    const partial = idx({
      key: { e: 1 },
      name: 'e_1',
      unique: true,
      partialFilterExpression: { active: true },
    });
    partial.add({ _id: 1, e: 'x', active: false }, '1');
    expect(() => partial.checkUnique({ _id: 2, e: 'x', active: true }, '2')).not.toThrow();
    partial.add({ _id: 2, e: 'x', active: true }, '2');
    expect(() => partial.checkUnique({ _id: 3, e: 'x', active: true }, '3')).toThrow(
      DuplicateKeyError,
    );
  });

  it('keys compound indexes by every field', () => {
    const i = idx({ key: { a: 1, b: 1 }, name: 'a_1_b_1', unique: true });
    i.add({ _id: 1, a: 1, b: 1 }, '1');
    expect(() => i.checkUnique({ _id: 2, a: 1, b: 2 }, '2')).not.toThrow();
    expect(() => i.checkUnique({ _id: 2, a: 1, b: 1 }, '2')).toThrow(/dup key: \{ a: 1, b: 1 \}/);
  });

  it('refuses text, geo, hashed and collation index specs by name', () => {
    expect(() => validateIndexSpec({ key: { body: 'text' }, name: 't' })).toThrow(/text/);
    expect(() => validateIndexSpec({ key: { loc: '2dsphere' }, name: 'g' })).toThrow(/2dsphere/);
    expect(() => validateIndexSpec({ key: { h: 'hashed' }, name: 'h' })).toThrow(/hashed/);
    expect(() =>
      validateIndexSpec({ key: { a: 1 }, name: 'a', collation: { locale: 'fr' } }),
    ).toThrow(/collation/);
  });

  it('replace moves entries only when the keys change, by value or by type', () => {
    const i = idx({ key: { n: 1 }, name: 'n_1' });
    const v1 = { _id: 1, n: new Long(1), other: 'a' };
    i.add(v1, '1');
    i.add({ _id: 2, n: 5 }, '2');
    // Another field changed: the entry stays (same key, same type).
    const v2 = { ...v1, other: 'b' };
    i.replace(v1, v2, '1');
    expect([...i.walk({ eq: [] })].map((e) => e.id)).toEqual(['1', '2']);
    expect(i.size).toBe(2);
    // Equal in BSON order but another type: the entry carries the new value.
    const v3 = { ...v2, n: 1 };
    i.replace(v2, v3, '1');
    expect([...i.walk({ eq: [] })][0]!.key).toEqual([1]);
    // A new value: the entry moves.
    const v4 = { ...v3, n: 9 };
    i.replace(v3, v4, '1');
    expect([...i.walk({ eq: [] })].map((e) => e.id)).toEqual(['2', '1']);
    expect(i.range({ value: 1, inclusive: true }, { value: 1, inclusive: true })).toEqual([]);
    // A scalar becoming a one-element array keeps its key but makes the index multikey.
    const v5 = { ...v4, n: [9] };
    i.replace(v4, v5, '1');
    expect(i.multikey).toBe(true);
    expect(i.size).toBe(2);
    i.replace(v5, v4, '1');
    expect(i.multikey).toBe(false);
  });
});

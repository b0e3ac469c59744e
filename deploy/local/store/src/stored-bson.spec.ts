import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { rememberBson, storedBson } from './stored-bson.js';

describe('stored BSON', () => {
  it('keeps a copy of exactly the bytes given, in a buffer of its own', () => {
    const doc = { _id: 1, n: 2 };
    const pooled = Buffer.from(BSON.serialize(doc)); // a slice of Node's shared pool
    rememberBson(doc, pooled);
    const kept = storedBson(doc)!;
    expect(Buffer.from(kept).equals(pooled)).toBe(true);
    expect(kept.buffer).not.toBe(pooled.buffer);
    expect(kept.byteLength).toBe(kept.buffer.byteLength);
    pooled.fill(0);
    expect(BSON.deserialize(kept)).toEqual(doc);
  });

  it('has nothing for a version it was not given', () => {
    expect(storedBson({ _id: 2 })).toBeUndefined();
  });
});

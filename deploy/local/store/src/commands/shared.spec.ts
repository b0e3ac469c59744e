import { BSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { MAX_BSON_BYTES } from '../wire.js';
import { serializeChecked } from './shared.js';

describe('serializeChecked', () => {
  it('returns the document BSON.serialize would write', () => {
    const doc = { _id: 'a', n: 1, at: new Date(0), list: [1, 'b'] };
    expect(Buffer.from(serializeChecked(doc)).equals(Buffer.from(BSON.serialize(doc)))).toBe(true);
  });

  it.each([
    ['just over 16 MiB', MAX_BSON_BYTES],
    ['past the serialiser buffer', 20 * 1024 * 1024],
  ])('refuses a document %s with 10334 and its size', (_, length) => {
    const doc = { _id: 'big', s: 'x'.repeat(length) };
    const size = BSON.calculateObjectSize(doc);
    try {
      serializeChecked(doc);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CommandError);
      expect((err as CommandError).code).toBe(10334);
      expect((err as CommandError).message).toBe(
        `object to insert exceeds the maximum size: ${size} > ${MAX_BSON_BYTES}`,
      );
    }
  });
});

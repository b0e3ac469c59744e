import { BSON, Double, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { MAX_BSON_BYTES, OP_MSG, parseFrame } from '../wire.js';
import { bsonToInsert, serializeChecked, withId } from './shared.js';

/** An insert as the driver frames it: the documents in a kind-1 sequence. */
function insertFrame(docs: Document[]): Document {
  const body = BSON.serialize({ insert: 'c', $db: 'd' });
  const seq = Buffer.concat([Buffer.from('documents\0'), ...docs.map((d) => BSON.serialize(d))]);
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + seq.length);
  const msg = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), body, Buffer.from([1]), size, seq]);
  return parseFrame({ requestId: 1, opCode: OP_MSG, body: msg, raw: msg }).command;
}

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

describe('bsonToInsert', () => {
  it('keeps the bytes a document arrived as when it is stored unchanged', () => {
    // a double 5.0 arrives as a double; serialising the decoded 5 again would make it an int32
    const sent = { _id: 'a', n: new Double(5), tags: ['x'] };
    const [doc] = insertFrame([sent]).documents as Document[];
    const bytes = bsonToInsert(doc!, withId(doc!));
    expect(Buffer.from(bytes).equals(Buffer.from(BSON.serialize(sent)))).toBe(true);
    expect(BSON.deserialize(bytes)).toEqual(doc);
  });

  it('serialises a document the store changed (its _id moved first or added)', () => {
    const [late, none] = insertFrame([{ n: 1, _id: 'late' }, { n: 2 }]).documents as Document[];
    const lateDoc = withId(late!);
    expect(
      Buffer.from(bsonToInsert(late!, lateDoc)).equals(
        Buffer.from(BSON.serialize({ _id: 'late', n: 1 })),
      ),
    ).toBe(true);
    const noneDoc = withId(none!);
    expect(BSON.deserialize(bsonToInsert(none!, noneDoc))).toEqual(noneDoc);
    // a document built by the store (an upsert) has no received bytes
    const built = { _id: 'b', n: 3 };
    expect(Buffer.from(bsonToInsert(built, built)).equals(Buffer.from(BSON.serialize(built)))).toBe(
      true,
    );
  });

  it('refuses a received document over 16 MiB with 10334 and its size', () => {
    const sent = { _id: 'big', s: 'x'.repeat(MAX_BSON_BYTES) };
    const [doc] = insertFrame([sent]).documents as Document[];
    const size = BSON.calculateObjectSize(sent);
    expect(() => bsonToInsert(doc!, doc!)).toThrow(
      `object to insert exceeds the maximum size: ${size} > ${MAX_BSON_BYTES}`,
    );
  });
});

import { BSON, Double, Long, ObjectId, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { serializeReply } from './reply-bson.js';
import { rememberBson } from './stored-bson.js';

const stored = (doc: Document): Document => {
  rememberBson(doc, BSON.serialize(doc));
  return doc;
};
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('serializeReply', () => {
  it('frames a cursor batch around the stored BSON to the bytes of the reply serialised whole', () => {
    for (const field of ['firstBatch', 'nextBatch']) {
      for (const n of [1, 12]) {
        const docs = Array.from({ length: n }, (_, i) =>
          stored({ _id: new ObjectId(), i, tags: ['a', 'ü'], at: new Date(i), sub: { x: null } }),
        );
        const reply = { cursor: { [field]: docs, id: Long.fromNumber(7 + n), ns: 'd.c' }, ok: 1 };
        expect(same(serializeReply(reply), BSON.serialize(reply)), `${field} ${n}`).toBe(true);
      }
    }
  });

  it('sends the bytes a document was stored as', () => {
    const doc = { _id: 'a', n: 5 };
    // as an insert that arrived with a double keeps it (serialising 5 again gives an int32)
    rememberBson(doc, BSON.serialize({ _id: 'a', n: new Double(5) }));
    const reply = { cursor: { firstBatch: [doc], id: Long.ZERO, ns: 'd.c' }, ok: 1 };
    const bytes = serializeReply(reply);
    const back = BSON.deserialize(bytes, { promoteValues: false }) as {
      cursor: { firstBatch: { n: unknown }[] };
    };
    expect(back.cursor.firstBatch[0]!.n).toBeInstanceOf(Double);
    expect(BSON.deserialize(bytes)).toEqual({ ...reply, cursor: { ...reply.cursor, id: 0 } });
  });

  it('serialises the reply whole when a document has no stored BSON, and any other reply', () => {
    const replies: Document[] = [
      { cursor: { firstBatch: [stored({ _id: 1 }), { _id: 2 }], id: Long.ZERO, ns: 'd.c' }, ok: 1 },
      { cursor: { firstBatch: [], id: Long.ZERO, ns: 'd.c' }, ok: 1 },
      { n: 1, ok: 1 },
      { ok: 1, cursor: { firstBatch: [stored({ _id: 3 })], id: Long.ZERO, ns: 'd.c' } },
    ];
    for (const reply of replies)
      expect(same(serializeReply(reply), BSON.serialize(reply))).toBe(true);
  });
});

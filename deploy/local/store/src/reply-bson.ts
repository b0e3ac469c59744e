import { BSON, type Document } from 'bson';
import type { Doc } from './paths.js';
import { storedBson } from './stored-bson.js';

const EMPTY_ARRAY = 5; // int32 size + terminating NUL

/**
 * A reply as BSON. A cursor reply (`{ cursor: { firstBatch | nextBatch: [...], id, ns }, ok }`)
 * whose documents all kept their stored BSON is framed around those bytes instead of serialising
 * every document again: the reply is serialised with an empty batch, and the documents' bytes are
 * spliced into that array (its size and the two enclosing sizes patched). The bytes are the ones
 * BSON.serialize gives for the same reply when each document's stored BSON is its serialisation.
 */
export function serializeReply(reply: Document): Uint8Array {
  const batch = cursorBatch(reply);
  if (!batch) return BSON.serialize(reply);
  const docs: Uint8Array[] = [];
  for (const doc of batch.docs) {
    const bson = storedBson(doc);
    if (!bson) return BSON.serialize(reply); // a projection, a replayed document, a computed one
    docs.push(bson);
  }
  const shell = BSON.serialize({
    ...reply,
    cursor: { ...(reply.cursor as Document), [batch.field]: [] },
  });
  // { cursor: { <field>: [] ...: int32, 0x03 "cursor\0", int32, 0x04 "<field>\0", then the array
  const cursorAt = 4 + 1 + 'cursor'.length + 1;
  const arrayAt = cursorAt + 4 + 1 + batch.field.length + 1;
  let elements = 0;
  docs.forEach((d, i) => (elements += 1 + String(i).length + 1 + d.length));
  const out = Buffer.allocUnsafe(shell.length + elements);
  out.set(shell.subarray(0, arrayAt), 0);
  let o = arrayAt;
  o = out.writeInt32LE(EMPTY_ARRAY + elements, o);
  docs.forEach((d, i) => {
    o = out.writeUInt8(0x03, o);
    o += out.write(String(i), o, 'latin1');
    o = out.writeUInt8(0, o);
    out.set(d, o);
    o += d.length;
  });
  o = out.writeUInt8(0, o);
  out.set(shell.subarray(arrayAt + EMPTY_ARRAY), o);
  out.writeInt32LE(shell.length + elements, 0);
  out.writeInt32LE(out.readInt32LE(cursorAt) + elements, cursorAt);
  return out;
}

/** The batch of a cursor reply, when `cursor` comes first and the batch first within it. */
function cursorBatch(reply: Document): { field: string; docs: Doc[] } | null {
  const cursor: unknown = reply.cursor;
  if (Object.keys(reply)[0] !== 'cursor' || typeof cursor !== 'object' || cursor === null)
    return null;
  const field = Object.keys(cursor)[0];
  if (field !== 'firstBatch' && field !== 'nextBatch') return null;
  const docs = (cursor as Document)[field] as unknown;
  if (!Array.isArray(docs) || docs.length === 0) return null;
  return { field, docs: docs as Doc[] };
}

import type { Doc } from './paths.js';

/**
 * The BSON of each stored document version, kept from the write that made it: versions are never
 * changed in place, so a snapshot frames these bytes instead of serialising every document again
 * (serialising 100,000 documents was most of a compaction's CPU). Held weakly, so a version that
 * leaves memory takes its bytes with it; a version without (replayed at start) is serialised.
 */
const bsonOf = new WeakMap<Doc, Uint8Array>();

/** Keeps `bson` for `doc` in a buffer of its own (a slice of a shared pool would pin the pool). */
export function rememberBson(doc: Doc, bson: Uint8Array): void {
  bsonOf.set(doc, new Uint8Array(bson));
}

export function storedBson(doc: Doc): Uint8Array | undefined {
  return bsonOf.get(doc);
}

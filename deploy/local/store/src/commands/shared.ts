import { BSON, ObjectId, type Document } from 'bson';
import { Query } from 'mingo';
import { badValue, CommandError, namespaceNotFound, tooLarge, unsupported } from '../errors.js';
import { isPlainObject, type Doc } from '../paths.js';
import { MAX_BSON_BYTES, receivedBson } from '../wire.js';

export function collName(cmd: Document, field: string): string {
  const name: unknown = cmd[field];
  if (typeof name !== 'string' || !name)
    throw badValue(`collection name must be a non-empty string, got ${typeof name}`);
  return name;
}

export function dbName(cmd: Document): string {
  const db: unknown = cmd.$db;
  if (typeof db !== 'string' || !db) throw badValue('$db is required');
  return db;
}

/** Generic command fields the store accepts and ignores (sessions, concerns, tracing). */
const IGNORED = new Set([
  '$db',
  'lsid',
  '$clusterTime',
  'writeConcern',
  'readConcern',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'comment',
  'maxTimeMS',
  'txnNumber',
  'bypassDocumentValidation',
  '$audit',
  'let',
]);

/** Refuses options we do not implement instead of silently ignoring them. */
export function rejectUnknownFields(cmd: Document, allowed: readonly string[]): void {
  for (const key of Object.keys(cmd)) {
    if (key === 'collation') throw unsupported('collation');
    if (IGNORED.has(key) || allowed.includes(key)) continue;
    throw unsupported(`the '${key}' option of '${Object.keys(cmd)[0]}'`);
  }
  if (cmd.let !== undefined) throw unsupported("the 'let' option");
}

function tooLargeToInsert(size: number): CommandError {
  return tooLarge(`object to insert exceeds the maximum size: ${size} > ${MAX_BSON_BYTES}`);
}

/**
 * A document to store as BSON, refused (code 10334) over 16 MiB: serialised once, for this check
 * and for the journal record that carries it.
 */
export function serializeChecked(doc: Doc): Uint8Array {
  const bytes = BSON.serialize(doc);
  // Past its 17 MiB buffer the serialiser returns a cut document: the size comes from a count.
  if (bytes.length > MAX_BSON_BYTES) throw tooLargeToInsert(BSON.calculateObjectSize(doc));
  return bytes;
}

/**
 * The BSON to store for a document an insert received: the bytes it arrived as when it is stored
 * unchanged (its `_id` first already), else serialised; refused (10334) over 16 MiB either way.
 */
export function bsonToInsert(received: Doc, doc: Doc): Uint8Array {
  const bytes = doc === received ? receivedBson(received) : undefined;
  if (!bytes) return serializeChecked(doc);
  if (bytes.length > MAX_BSON_BYTES) throw tooLargeToInsert(bytes.length);
  return bytes;
}

/** `_id` first, generated when missing, as mongod stores it. */
export function withId(doc: Doc): Doc {
  if ('_id' in doc) {
    if (Array.isArray(doc._id)) throw badValue("can't use an array for _id");
    if (Object.keys(doc)[0] === '_id') return doc;
    const { _id, ...rest } = doc;
    return { _id, ...rest };
  }
  return { _id: new ObjectId(), ...doc };
}

export function asInt(v: unknown, name: string, min = 0): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'object' && v !== null && 'toNumber' in v
        ? (v as { toNumber(): number }).toNumber()
        : NaN;
  if (!Number.isInteger(n) || n < min) throw badValue(`'${name}' must be an integer >= ${min}`);
  return n;
}

/**
 * A projection of top-level fields only, each 0/1/true/false, all inclusions or all exclusions
 * (`_id` either way): applied by the store itself, keeping the stored document's field order
 * (`_id` first), as mongod's inclusion walks the document (mingo's general path returns the same
 * fields, not always in that order). Null for anything else.
 */
function topLevelProjection(projection: Doc): ((doc: Doc) => Doc) | null {
  let include: boolean | undefined;
  let keepId = true;
  const fields = new Set<string>();
  for (const [k, v] of Object.entries(projection)) {
    if (v !== 0 && v !== 1 && v !== true && v !== false) return null;
    if (k.includes('.') || k === '') return null;
    const on = v === 1 || v === true;
    if (k === '_id') {
      keepId = on;
      continue;
    }
    if (include !== undefined && include !== on) return null;
    include = on;
    fields.add(k);
  }
  if (include === undefined) include = keepId && Object.keys(projection).length > 0;
  if (include) {
    return (doc) => {
      const out: Doc = {};
      if (keepId && '_id' in doc) out._id = doc._id;
      for (const k of Object.keys(doc)) if (k !== '_id' && fields.has(k)) out[k] = doc[k];
      return out;
    };
  }
  return (doc) => {
    const out: Doc = {};
    for (const k of Object.keys(doc)) {
      if (k === '_id' ? keepId : !fields.has(k)) out[k] = doc[k];
    }
    return out;
  };
}

/** Applies a projection the way mongod does: `_id` stays first. */
export function project(docs: Doc[], projection: unknown): Doc[] {
  if (projection === undefined || projection === null) return docs;
  if (!isPlainObject(projection)) throw badValue('projection must be a document');
  if (Object.keys(projection).length === 0) return docs;
  for (const [k, v] of Object.entries(projection)) {
    if (k.includes('$') || (isPlainObject(v) && Object.keys(v).some((o) => o === '$meta')))
      throw unsupported(`projection '${k}'`);
  }
  const direct = topLevelProjection(projection);
  if (direct) return docs.map(direct);
  try {
    return new Query({})
      .find(docs, projection)
      .all()
      .map((d) => {
        const doc = d as Doc;
        if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
        const { _id, ...rest } = doc;
        return { _id, ...rest };
      });
  } catch (err) {
    throw badValue((err as Error).message);
  }
}

export function missingCollection(ns: string): CommandError {
  return namespaceNotFound(`ns does not exist: ${ns}`);
}

export function writeErrorOf(index: number, err: unknown): Document {
  if (err instanceof CommandError)
    return { index, code: err.code, errmsg: err.message, ...err.extra };
  return { index, code: 1, errmsg: (err as Error).message };
}

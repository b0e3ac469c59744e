import { ObjectId, type Document } from 'bson';
import { compareBson } from '../bson-order.js';
import type { Collection } from '../collection.js';
import { badValue, DuplicateKeyError, invalidOptions, unsupported } from '../errors.js';
import type { JournalRecord } from '../journal.js';
import { isPlainObject, type Doc } from '../paths.js';
import { rememberBson } from '../stored-bson.js';
import { Filter } from '../query.js';
import { applyUpdate, seedFromFilter, validateUpdate } from '../update.js';
import { MAX_WRITE_BATCH } from './admin.js';
import type { CommandContext, CommandHandler } from './context.js';
import {
  bsonToInsert,
  collName,
  dbName,
  project,
  rejectUnknownFields,
  serializeChecked,
  withId,
  writeErrorOf,
} from './shared.js';

const sameDoc = (a: Doc, b: Doc) =>
  a === b ||
  (compareBson(a, b) === 0 && JSON.stringify(Object.keys(a)) === JSON.stringify(Object.keys(b)));

/** Inserts a new document, checking `_id` and unique indexes first so a refusal changes nothing. */
function insertOne(c: Collection, raw: Doc, records: JournalRecord[]): Doc {
  const doc = withId(raw);
  const bson = bsonToInsert(raw, doc);
  if (c.getById(doc._id)) throw new DuplicateKeyError(c.ns, '_id_', { _id: 1 }, { _id: doc._id });
  c.checkUnique(doc);
  c.add(doc);
  rememberBson(doc, bson);
  records.push({ op: 'put', db: c.db, coll: c.name, doc, bson });
  return doc;
}

function replaceOne(c: Collection, prev: Doc, next: Doc, records: JournalRecord[]): void {
  const bson = serializeChecked(next);
  c.checkUnique(next);
  c.replace(prev, next);
  rememberBson(next, bson);
  records.push({ op: 'put', db: c.db, coll: c.name, doc: next, bson });
}

function batch(cmd: Document, field: string): Doc[] {
  const items: unknown = cmd[field];
  if (!Array.isArray(items) || items.length === 0)
    throw invalidOptions(`'${field}' must be a non-empty array`);
  if (items.length > MAX_WRITE_BATCH)
    throw invalidOptions(
      `write batch sizes must be between 1 and ${MAX_WRITE_BATCH}. Got ${items.length} operations.`,
    );
  for (const item of items)
    if (!isPlainObject(item)) throw badValue(`'${field}' entries must be documents`);
  return items as Doc[];
}

async function finish(
  ctx: CommandContext,
  records: JournalRecord[],
  reply: Document,
  writeErrors: Document[],
): Promise<Document> {
  await ctx.persist(records);
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

const insert: CommandHandler = async (cmd, ctx) => {
  rejectUnknownFields(cmd, ['insert', 'documents', 'ordered']);
  const db = dbName(cmd);
  const docs = batch(cmd, 'documents');
  const ordered = cmd.ordered !== false;
  const records: JournalRecord[] = [];
  const c = ctx.catalog.ensure(db, collName(cmd, 'insert'), records);
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [i, raw] of docs.entries()) {
    try {
      insertOne(c, raw, records);
      n++;
    } catch (err) {
      writeErrors.push(writeErrorOf(i, err));
      if (ordered) break;
    }
  }
  return finish(ctx, records, { n }, writeErrors);
};

interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** For findAndModify: the document before and after. */
  before?: Doc;
  after?: Doc;
}

/** One update statement: match, apply, check unique, swap; upsert seeds from the filter. */
export function runUpdate(
  c: Collection,
  stmt: { q: Doc; u: Doc; multi: boolean; upsert: boolean; arrayFilters?: Doc[]; sort?: Doc },
  records: JournalRecord[],
): UpdateOutcome {
  validateUpdate(stmt.u);
  const filter = new Filter(stmt.q);
  const matches = c.find(
    filter,
    stmt.multi ? {} : { limit: 1, ...(stmt.sort ? { sort: stmt.sort } : {}) },
  );
  if (matches.length === 0) {
    if (!stmt.upsert) return { matched: 0, modified: 0 };
    const seed = seedFromFilter(stmt.q);
    const base: Doc = '_id' in seed ? { _id: seed._id } : { _id: stmt.u._id ?? new ObjectId() };
    const next = applyUpdate({ ...base, ...seed }, stmt.u, {
      query: stmt.q,
      arrayFilters: stmt.arrayFilters,
      inserting: true,
    });
    const doc = insertOne(c, next, records);
    return { matched: 0, modified: 0, upsertedId: doc._id, after: doc };
  }
  let modified = 0;
  let before: Doc | undefined;
  let after: Doc | undefined;
  for (const prev of matches) {
    const next = applyUpdate(prev, stmt.u, {
      query: stmt.q,
      arrayFilters: stmt.arrayFilters,
      inserting: false,
    });
    before ??= prev;
    after ??= next;
    if (sameDoc(prev, next)) continue;
    replaceOne(c, prev, next, records);
    modified++;
  }
  return { matched: matches.length, modified, before, after };
}

const update: CommandHandler = async (cmd, ctx) => {
  rejectUnknownFields(cmd, ['update', 'updates', 'ordered']);
  const db = dbName(cmd);
  const stmts = batch(cmd, 'updates');
  const ordered = cmd.ordered !== false;
  const records: JournalRecord[] = [];
  const c = ctx.catalog.ensure(db, collName(cmd, 'update'), records);
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (const [i, s] of stmts.entries()) {
    try {
      for (const k of Object.keys(s)) {
        if (k === 'collation') throw unsupported('collation');
        if (!['q', 'u', 'upsert', 'multi', 'arrayFilters', 'hint'].includes(k))
          throw badValue(`unknown update statement field '${k}'`);
      }
      if (!isPlainObject(s.q)) throw badValue("'q' must be a document");
      const out = runUpdate(
        c,
        {
          q: s.q,
          u: s.u as Doc,
          multi: s.multi === true,
          upsert: s.upsert === true,
          arrayFilters: s.arrayFilters as Doc[] | undefined,
        },
        records,
      );
      n += out.matched;
      nModified += out.modified;
      if (out.upsertedId !== undefined) {
        n++;
        upserted.push({ index: i, _id: out.upsertedId });
      }
    } catch (err) {
      writeErrors.push(writeErrorOf(i, err));
      if (ordered) break;
    }
  }
  const reply: Document = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  return finish(ctx, records, reply, writeErrors);
};

const del: CommandHandler = async (cmd, ctx) => {
  rejectUnknownFields(cmd, ['delete', 'deletes', 'ordered']);
  const db = dbName(cmd);
  const stmts = batch(cmd, 'deletes');
  const ordered = cmd.ordered !== false;
  const c = ctx.catalog.get(db, collName(cmd, 'delete'));
  const records: JournalRecord[] = [];
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [i, s] of stmts.entries()) {
    try {
      if ('collation' in s) throw unsupported('collation');
      if (!isPlainObject(s.q)) throw badValue("'q' must be a document");
      const limit = Number(s.limit ?? 0);
      if (limit !== 0 && limit !== 1) throw badValue('delete limit must be 0 or 1');
      if (!c) continue;
      for (const doc of c.find(new Filter(s.q), limit ? { limit: 1 } : {})) {
        c.remove(doc);
        records.push({ op: 'del', db, coll: c.name, id: doc._id });
        n++;
      }
    } catch (err) {
      writeErrors.push(writeErrorOf(i, err));
      if (ordered) break;
    }
  }
  return finish(ctx, records, { n }, writeErrors);
};

const findAndModify: CommandHandler = async (cmd, ctx) => {
  rejectUnknownFields(cmd, [
    'findAndModify',
    'findandmodify',
    'query',
    'sort',
    'remove',
    'update',
    'new',
    'fields',
    'upsert',
    'arrayFilters',
    'hint',
  ]);
  const db = dbName(cmd);
  const name = collName(cmd, 'findAndModify' in cmd ? 'findAndModify' : 'findandmodify');
  const query = (cmd.query ?? {}) as Doc;
  if (!isPlainObject(query)) throw badValue("'query' must be a document");
  const records: JournalRecord[] = [];
  if (cmd.remove) {
    if (cmd.update !== undefined || cmd.upsert)
      throw badValue('Cannot specify both an update and remove=true');
    const c = ctx.catalog.get(db, name);
    const [doc] = c
      ? c.find(new Filter(query), { limit: 1, sort: cmd.sort as Doc | undefined })
      : [];
    if (c && doc) {
      c.remove(doc);
      records.push({ op: 'del', db, coll: name, id: doc._id });
    }
    await ctx.persist(records);
    return {
      lastErrorObject: { n: doc ? 1 : 0 },
      value: doc ? project([doc], cmd.fields)[0] : null,
      ok: 1,
    };
  }
  if (!isPlainObject(cmd.update))
    throw badValue('Either an update or remove=true must be specified');
  const c = ctx.catalog.ensure(db, name, records);
  const out = runUpdate(
    c,
    {
      q: query,
      u: cmd.update,
      multi: false,
      upsert: cmd.upsert === true,
      arrayFilters: cmd.arrayFilters as Doc[] | undefined,
      sort: cmd.sort as Doc | undefined,
    },
    records,
  );
  await ctx.persist(records);
  const value = cmd.new ? out.after : out.upsertedId !== undefined ? undefined : out.before;
  const lastErrorObject: Document = {
    n: out.matched || (out.upsertedId !== undefined ? 1 : 0),
    updatedExisting: out.matched > 0,
  };
  if (out.upsertedId !== undefined) lastErrorObject.upserted = out.upsertedId;
  return { lastErrorObject, value: value ? project([value], cmd.fields)[0] : null, ok: 1 };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
};

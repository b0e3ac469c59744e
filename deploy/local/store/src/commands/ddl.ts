import { Long } from 'bson';
import { Query } from 'mingo';
import { ID_INDEX } from '../collection.js';
import { badValue, indexNotFound, namespaceExists, transactionsRefused } from '../errors.js';
import { validateIndexSpec } from '../index-def.js';
import type { JournalRecord } from '../journal.js';
import { isPlainObject, type Doc } from '../paths.js';
import type { CommandHandler } from './context.js';
import { collName, dbName, missingCollection, rejectUnknownFields } from './shared.js';

const create: CommandHandler = async (cmd, ctx) => {
  rejectUnknownFields(cmd, ['create']);
  const db = dbName(cmd);
  const name = collName(cmd, 'create');
  if (ctx.catalog.get(db, name)) throw namespaceExists(`Collection ${db}.${name} already exists.`);
  const records: JournalRecord[] = [];
  ctx.catalog.ensure(db, name, records);
  await ctx.persist(records);
  return { ok: 1 };
};

const drop: CommandHandler = async (cmd, ctx) => {
  const db = dbName(cmd);
  const name = collName(cmd, 'drop');
  const existed = ctx.catalog.drop(db, name);
  if (existed) await ctx.persist([{ op: 'dropColl', db, coll: name }]);
  return { ns: `${db}.${name}`, nIndexesWas: existed ? 1 : 0, ok: 1 };
};

const dropDatabase: CommandHandler = async (cmd, ctx) => {
  const db = dbName(cmd);
  const records: JournalRecord[] = [];
  for (const name of [...(ctx.catalog.dbs.get(db)?.keys() ?? [])]) {
    ctx.catalog.drop(db, name);
    records.push({ op: 'dropColl', db, coll: name });
  }
  await ctx.persist(records);
  return { dropped: db, ok: 1 };
};

const listCollections: CommandHandler = (cmd, ctx) => {
  rejectUnknownFields(cmd, [
    'listCollections',
    'filter',
    'nameOnly',
    'authorizedCollections',
    'cursor',
  ]);
  const db = dbName(cmd);
  let infos: Doc[] = [...(ctx.catalog.dbs.get(db)?.keys() ?? [])].map((name) =>
    cmd.nameOnly
      ? { name, type: 'collection' }
      : {
          name,
          type: 'collection',
          options: {},
          info: { readOnly: false },
          idIndex: { ...ID_INDEX },
        },
  );
  if (isPlainObject(cmd.filter)) infos = new Query(cmd.filter).find(infos).all() as Doc[];
  return { cursor: { id: Long.ZERO, ns: `${db}.$cmd.listCollections`, firstBatch: infos }, ok: 1 };
};

const createIndexes: CommandHandler = async (cmd, ctx) => {
  rejectUnknownFields(cmd, ['createIndexes', 'indexes', 'commitQuorum']);
  const db = dbName(cmd);
  const name = collName(cmd, 'createIndexes');
  if (!Array.isArray(cmd.indexes) || cmd.indexes.length === 0)
    throw badValue("'indexes' must be a non-empty array");
  const specs = (cmd.indexes as unknown[]).map((raw) => {
    if (!isPlainObject(raw)) throw badValue('index specifications must be documents');
    return validateIndexSpec(raw);
  });
  const records: JournalRecord[] = [];
  const created = !ctx.catalog.get(db, name);
  const c = ctx.catalog.ensure(db, name, records);
  const before = c.indexes.size + 1;
  for (const spec of specs) {
    if (spec.name === ID_INDEX.name || JSON.stringify(spec.key) === '{"_id":1}') continue;
    // A unique build over duplicates throws E11000 and leaves no index behind.
    if (c.createIndex(spec)) records.push({ op: 'createIndex', db, coll: name, spec: { ...spec } });
  }
  await ctx.persist(records);
  return {
    createdCollectionAutomatically: created,
    numIndexesBefore: before,
    numIndexesAfter: c.indexes.size + 1,
    ok: 1,
  };
};

const listIndexes: CommandHandler = (cmd, ctx) => {
  const db = dbName(cmd);
  const name = collName(cmd, 'listIndexes');
  const c = ctx.catalog.get(db, name);
  if (!c) throw missingCollection(`${db}.${name}`);
  return {
    cursor: {
      id: Long.ZERO,
      ns: `${db}.${name}`,
      firstBatch: c.indexSpecs().map((s) => ({ ...s })),
    },
    ok: 1,
  };
};

const dropIndexes: CommandHandler = async (cmd, ctx) => {
  const db = dbName(cmd);
  const name = collName(cmd, 'dropIndexes');
  const c = ctx.catalog.get(db, name);
  if (!c) throw missingCollection(`${db}.${name}`);
  const target: unknown = cmd.index;
  let names: string[];
  if (target === '*') names = [...c.indexes.keys()];
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (isPlainObject(target)) {
    const match = [...c.indexes.values()].find(
      (i) => JSON.stringify(i.spec.key) === JSON.stringify(target),
    );
    if (!match) throw indexNotFound(`can't find index with key: ${JSON.stringify(target)}`);
    names = [match.name];
  } else throw badValue("'index' must be a name, a key pattern, an array of names or '*'");
  const before = c.indexes.size + 1;
  for (const n of names)
    if (!c.indexes.has(n) && n !== '_id_') throw indexNotFound(`index not found with name [${n}]`);
  const records: JournalRecord[] = [];
  for (const n of names) {
    c.dropIndex(n);
    records.push({ op: 'dropIndex', db, coll: name, name: n });
  }
  await ctx.persist(records);
  return { nIndexesWas: before, ok: 1 };
};

/** Refused, never faked: multi-document transactions are outside the embedded store's subset. */
const transactions: CommandHandler = () => {
  throw transactionsRefused();
};

export const ddlCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  createIndexes,
  listIndexes,
  dropIndexes,
  commitTransaction: transactions,
  abortTransaction: transactions,
};

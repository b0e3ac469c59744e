import { Long, type Document } from 'bson';
import { keyOf } from '../bson-order.js';
import { badValue, typeMismatch } from '../errors.js';
import { isPlainObject, valuesAt, type Doc } from '../paths.js';
import { Filter } from '../query.js';
import type { CommandHandler } from './context.js';
import { asInt, collName, dbName, project, rejectUnknownFields } from './shared.js';

function cursorReply(ns: string, id: Long, batch: Doc[], first: boolean): Document {
  return { cursor: { [first ? 'firstBatch' : 'nextBatch']: batch, id, ns }, ok: 1 };
}

function filterOf(v: unknown, name = 'filter'): Doc {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) throw badValue(`'${name}' must be a document`);
  return v;
}

/** Runs a find and returns every matching document (the cursor hands them out in batches). */
export function runFind(
  cmd: Document,
  ctxCatalog: Parameters<CommandHandler>[1]['catalog'],
): { ns: string; docs: Doc[]; examined: number; plan: string } {
  const db = dbName(cmd);
  const name = collName(cmd, 'find');
  const c = ctxCatalog.get(db, name);
  const filter = new Filter(filterOf(cmd.filter));
  if (cmd.sort !== undefined && !isPlainObject(cmd.sort))
    throw badValue("'sort' must be a document");
  let limit = asInt(cmd.limit === undefined ? undefined : Math.abs(Number(cmd.limit)), 'limit');
  if (limit === 0) limit = undefined;
  const skip = asInt(cmd.skip, 'skip');
  const docs = c ? c.find(filter, { sort: cmd.sort as Doc | undefined, skip, limit }) : [];
  return {
    ns: `${db}.${name}`,
    docs: project(docs, cmd.projection),
    examined: c?.lastExamined ?? 0,
    plan: c?.lastPlan ?? 'EOF',
  };
}

const FIND_FIELDS = [
  'find',
  'filter',
  'sort',
  'projection',
  'skip',
  'limit',
  'batchSize',
  'singleBatch',
  'hint',
  'noCursorTimeout',
  'allowPartialResults',
  'returnKey',
  'showRecordId',
  'tailable',
  'awaitData',
  'allowDiskUse',
  'maxScan',
  'min',
  'max',
  'readOnce',
];

const find: CommandHandler = (cmd, ctx) => {
  rejectUnknownFields(cmd, FIND_FIELDS);
  if (cmd.tailable || cmd.awaitData)
    throw badValue('tailable cursors are not supported by the Agora embedded store');
  const { ns, docs } = runFind(cmd, ctx.catalog);
  const single = cmd.singleBatch === true || (typeof cmd.limit === 'number' && cmd.limit < 0);
  const { id, batch } = ctx.cursors.start(ns, docs, asInt(cmd.batchSize, 'batchSize'), single);
  return cursorReply(ns, id, batch, true);
};

const getMore: CommandHandler = (cmd, ctx) => {
  rejectUnknownFields(cmd, ['getMore', 'collection', 'batchSize', 'maxTimeMS']);
  const raw: unknown = cmd.getMore;
  if (!(raw instanceof Long) && typeof raw !== 'number')
    throw typeMismatch("Field 'getMore' must be of type long");
  const id = raw instanceof Long ? raw : Long.fromNumber(raw);
  const ns = `${dbName(cmd)}.${collName(cmd, 'collection')}`;
  const next = ctx.cursors.next(id, ns, asInt(cmd.batchSize, 'batchSize'));
  return cursorReply(ns, next.id, next.batch, false);
};

const killCursors: CommandHandler = (cmd, ctx) => {
  const ids: unknown = cmd.cursors;
  if (!Array.isArray(ids)) throw badValue("'cursors' must be an array");
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of ids) {
    const id = raw instanceof Long ? raw : Long.fromNumber(Number(raw));
    (ctx.cursors.kill(id) ? killed : notFound).push(id);
  }
  return {
    cursorsKilled: killed,
    cursorsNotFound: notFound,
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

const count: CommandHandler = (cmd, ctx) => {
  rejectUnknownFields(cmd, ['count', 'query', 'limit', 'skip', 'hint', 'fields']);
  const c = ctx.catalog.get(dbName(cmd), collName(cmd, 'count'));
  if (!c) return { n: 0, ok: 1 };
  const filter = new Filter(filterOf(cmd.query, 'query'));
  const skip = asInt(cmd.skip, 'skip');
  const limit = cmd.limit ? Math.abs(Number(cmd.limit)) : undefined;
  const fast = c.countFast(filter);
  if (fast !== null) {
    const n = Math.max(0, fast - (skip ?? 0));
    return { n: limit ? Math.min(n, limit) : n, ok: 1 };
  }
  return { n: c.find(filter, { skip, limit }).length, ok: 1 };
};

const distinct: CommandHandler = (cmd, ctx) => {
  rejectUnknownFields(cmd, ['distinct', 'key', 'query', 'hint']);
  if (typeof cmd.key !== 'string') throw badValue("'key' must be a string");
  const c = ctx.catalog.get(dbName(cmd), collName(cmd, 'distinct'));
  const seen = new Map<string, unknown>();
  for (const doc of c ? c.find(new Filter(filterOf(cmd.query, 'query'))) : []) {
    for (const v of valuesAt(doc, cmd.key).flatMap((x): unknown[] =>
      Array.isArray(x) ? (x as unknown[]) : [x],
    )) {
      if (v !== undefined) seen.set(keyOf(v), v);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

/** explain of a find: the plan chosen and how many documents were examined. */
const explain: CommandHandler = (cmd, ctx) => {
  const inner = cmd.explain as Document;
  if (!isPlainObject(inner) || !('find' in inner))
    throw badValue('explain is supported for find only');
  const { ns, docs, examined, plan } = runFind({ ...inner, $db: cmd.$db as unknown }, ctx.catalog);
  const ix = /^IXSCAN \{ (.*) \}$/.exec(plan);
  const inputStage = ix ? { stage: 'IXSCAN', indexName: ix[1] } : { stage: plan };
  return {
    queryPlanner: {
      namespace: ns,
      winningPlan: ix ? { stage: 'FETCH', inputStage } : inputStage,
      rejectedPlans: [],
    },
    executionStats: {
      executionSuccess: true,
      nReturned: docs.length,
      totalDocsExamined: examined,
      totalKeysExamined: ix ? examined : 0,
    },
    ok: 1,
  };
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  explain,
};

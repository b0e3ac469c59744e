import { Decimal128, Long, Timestamp } from 'bson';
import type { Collection } from '../collection.js';
import { Aggregator } from 'mingo/aggregator';
import { badValue, unsupported } from '../errors.js';
import { cloneDoc, isPlainObject, type Doc } from '../paths.js';
import { Filter, mapMingoError, sortDocs } from '../query.js';
import { SUPPORTED_STAGES } from '../supported-subset.js';
import { MINGO_CONTEXT } from '../mingo-context.js';
import type { CommandHandler } from './context.js';
import { asInt, dbName, rejectUnknownFields } from './shared.js';

const SUPPORTED = new Set<string>(SUPPORTED_STAGES);

function checkPipeline(pipeline: unknown): Doc[] {
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' must be an array");
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1)
      throw badValue('a pipeline stage specification object must contain exactly one field');
    const name = Object.keys(stage)[0]!;
    if (!SUPPORTED.has(name)) {
      if (name.startsWith('$')) throw unsupported(`aggregation stage ${name}`);
      throw badValue(`Unrecognized pipeline stage name: '${name}'`);
    }
    // Every $match, not just a leading one, gets the same operator checks as a find filter.
    if (name === '$match') {
      if (!isPlainObject(stage.$match))
        throw badValue('the match filter must be an expression in an object');
      new Filter(stage.$match);
    }
    if (name === '$facet') for (const sub of Object.values(stage.$facet as Doc)) checkPipeline(sub);
    if (name === '$lookup' && isPlainObject(stage.$lookup) && stage.$lookup.pipeline)
      checkPipeline(stage.$lookup.pipeline);
  }
  return pipeline as Doc[];
}

/** Operators that do arithmetic: mingo computes them on JS numbers, wrong for Long/Decimal128. */
const ARITHMETIC = new Set([
  '$sum',
  '$avg',
  '$add',
  '$subtract',
  '$multiply',
  '$divide',
  '$mod',
  '$abs',
  '$ceil',
  '$floor',
  '$round',
  '$trunc',
  '$pow',
  '$sqrt',
  '$exp',
  '$ln',
  '$log',
  '$log10',
  '$stdDevPop',
  '$stdDevSamp',
]);

function arithmeticIn(spec: unknown): string | undefined {
  if (Array.isArray(spec)) {
    for (const s of spec) {
      const found = arithmeticIn(s);
      if (found) return found;
    }
  } else if (isPlainObject(spec)) {
    for (const [k, v] of Object.entries(spec)) {
      if (ARITHMETIC.has(k)) return k;
      const found = arithmeticIn(v);
      if (found) return found;
    }
  }
  return undefined;
}

function holdsWideNumber(v: unknown): string | undefined {
  if (v instanceof Long && !(v instanceof Timestamp)) return 'Long';
  if (v instanceof Decimal128) return 'Decimal128';
  if (Array.isArray(v) || isPlainObject(v)) {
    for (const x of Object.values(v)) {
      const found = holdsWideNumber(x);
      if (found) return found;
    }
  }
  return undefined;
}

/** Refuses (rather than silently miscomputes) arithmetic when the input holds Long/Decimal128. */
function refuseWideArithmetic(stage: Doc, docs: Doc[]): void {
  const op = arithmeticIn(stage);
  if (!op) return;
  for (const doc of docs) {
    const kind = holdsWideNumber(doc);
    if (kind) throw unsupported(`${op} over ${kind} values (64-bit/decimal arithmetic)`);
  }
}

/** `{ $group: { _id: <constant>, n: { $sum: 1 } } }` (the driver's countDocuments), or null. */
function countingGroup(stage: Doc): { id: unknown; field: string } | null {
  const group = stage.$group;
  if (!isPlainObject(group)) return null;
  const keys = Object.keys(group);
  if (keys.length !== 2 || keys[0] !== '_id') return null;
  const id = group._id;
  const constant =
    id === null ||
    typeof id === 'number' ||
    typeof id === 'boolean' ||
    (typeof id === 'string' && !id.startsWith('$'));
  const field = keys[1]!;
  const acc = group[field];
  if (field.startsWith('$') || field.includes('.')) return null;
  if (!constant || !isPlainObject(acc) || Object.keys(acc).length !== 1 || acc.$sum !== 1)
    return null;
  return { id, field };
}

/**
 * The driver's countDocuments — `[$match, ($skip | $limit)…, { $group: { _id: <const>, n: { $sum: 1 } } }]` —
 * answered from an index range count when the match allows it (Collection.countFast); null
 * when documents must be read.
 */
function countFromIndex(c: Collection, pipeline: Doc[]): Doc[] | null {
  const first = pipeline[0];
  const last = pipeline.at(-1);
  if (pipeline.length < 2 || !first || !('$match' in first) || !last) return null;
  const countAs = countingGroup(last);
  if (!countAs) return null;
  const middle = pipeline.slice(1, -1);
  if (!middle.every((stage) => '$skip' in stage || '$limit' in stage)) return null;
  let n = c.countFast(new Filter(first.$match as Doc));
  if (n === null) return null;
  for (const stage of middle) {
    const isSkip = '$skip' in stage;
    const v = asInt(isSkip ? stage.$skip : stage.$limit, isSkip ? '$skip' : '$limit');
    if (v === undefined || (!isSkip && v === 0))
      throw badValue(`invalid argument to ${isSkip ? '$skip' : '$limit'} stage`);
    n = isSkip ? Math.max(0, n - v) : Math.min(n, v);
  }
  return n > 0 ? [{ _id: countAs.id, [countAs.field]: n }] : [];
}

const aggregate: CommandHandler = (cmd, ctx) => {
  rejectUnknownFields(cmd, ['aggregate', 'pipeline', 'cursor', 'allowDiskUse', 'hint', 'explain']);
  if (cmd.explain) throw unsupported('explain of aggregate');
  const db = dbName(cmd);
  if (typeof cmd.aggregate !== 'string') throw unsupported('database-level aggregate');
  const pipeline = checkPipeline(cmd.pipeline);
  if (!isPlainObject(cmd.cursor)) throw badValue("The 'cursor' option is required");
  const c = ctx.catalog.get(db, cmd.aggregate);
  const counted = c ? countFromIndex(c, pipeline) : null;
  if (counted) {
    const ns = `${db}.${cmd.aggregate}`;
    const batchSize = asInt(cmd.cursor.batchSize, 'batchSize');
    const { id, batch } = ctx.cursors.start(ns, counted, batchSize, false);
    return { cursor: { firstBatch: batch, id, ns }, ok: 1 };
  }
  // A leading $match runs through the collection so it can use an index.
  let rest = pipeline;
  let docs: Doc[] = [];
  if (c) {
    const first = pipeline[0];
    if (first && '$match' in first) {
      docs = c.find(new Filter(first.$match as Doc));
      rest = pipeline.slice(1);
    } else {
      docs = [...c.docs.values()];
    }
  }
  // $skip/$limit right after are slices (no copies); countDocuments' final $group is a count.
  while (rest[0] && ('$skip' in rest[0] || '$limit' in rest[0])) {
    const stage = rest[0];
    const n = asInt(stage.$skip ?? stage.$limit, '$skip' in stage ? '$skip' : '$limit');
    if (n === undefined || ('$limit' in stage && n === 0))
      throw badValue(`invalid argument to ${'$skip' in stage ? '$skip' : '$limit'} stage`);
    docs = '$skip' in stage ? docs.slice(n) : docs.slice(0, n);
    rest = rest.slice(1);
  }
  const countAs = rest.length === 1 ? countingGroup(rest[0]!) : null;
  if (countAs) {
    docs = docs.length ? [{ _id: countAs.id, [countAs.field]: docs.length }] : [];
    rest = [];
  }
  docs = docs.map(cloneDoc);
  const resolver = (name: string) =>
    [...(ctx.catalog.get(db, name)?.docs.values() ?? [])].map(cloneDoc);
  try {
    for (const stage of rest) {
      // Our $sort follows MongoDB's cross-type BSON order.
      if ('$sort' in stage) docs = sortDocs(docs, stage.$sort as Doc);
      // mongod's $count emits nothing for an empty input.
      else if ('$count' in stage && docs.length === 0) docs = [];
      else {
        refuseWideArithmetic(stage, docs);
        docs = new Aggregator([stage], {
          collectionResolver: resolver,
          context: MINGO_CONTEXT,
          scriptEnabled: false,
        }).run<Doc>(docs);
      }
    }
  } catch (err) {
    throw mapMingoError(err);
  }
  const ns = `${db}.${cmd.aggregate}`;
  const { id, batch } = ctx.cursors.start(
    ns,
    docs,
    asInt(cmd.cursor.batchSize, 'batchSize'),
    false,
  );
  return { cursor: { firstBatch: batch, id, ns }, ok: 1 };
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };

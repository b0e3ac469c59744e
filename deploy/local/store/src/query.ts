import { MinKey, ObjectId } from 'bson';
import { Query } from 'mingo/query';
import { compareBson, keyOf } from './bson-order.js';
import { badValue, CommandError, unsupported } from './errors.js';
import type { Bound, Index, KeyRange } from './index-def.js';
import { SUPPORTED_QUERY_OPERATORS, SUPPORTED_TYPE_ALIASES } from './supported-subset.js';
import { MINGO_CONTEXT } from './mingo-context.js';
import { isPlainObject, valuesAt, type Doc } from './paths.js';

const REFUSED: Record<string, string> = {
  $text: '$text (full-text search)',
  $where: '$where (server-side JavaScript)',
  $near: '$near (geo)',
  $nearSphere: '$nearSphere (geo)',
  $geoWithin: '$geoWithin (geo)',
  $geoIntersects: '$geoIntersects (geo)',
  $jsonSchema: '$jsonSchema',
  $bitsAllSet: '$bitsAllSet',
  $bitsAnySet: '$bitsAnySet',
  $bitsAllClear: '$bitsAllClear',
  $bitsAnyClear: '$bitsAnyClear',
};

const SUPPORTED_TYPES = new Set<unknown>(SUPPORTED_TYPE_ALIASES);
const SUPPORTED = new Set<string>(SUPPORTED_QUERY_OPERATORS);

function checkOperators(filter: unknown, topLevel: boolean): void {
  if (Array.isArray(filter)) {
    for (const f of filter) checkOperators(f, topLevel);
    return;
  }
  if (!isPlainObject(filter)) return;
  for (const [k, v] of Object.entries(filter)) {
    if (k.startsWith('$')) {
      if (REFUSED[k]) throw unsupported(REFUSED[k]);
      if (!SUPPORTED.has(k))
        throw badValue(`unknown ${topLevel ? 'top level ' : ''}operator: ${k}`);
      if (k === '$type') {
        for (const t of Array.isArray(v) ? v : [v]) {
          if (!SUPPORTED_TYPES.has(t as string)) throw unsupported(`$type '${String(t)}'`);
        }
      }
      if (k === '$expr') continue; // aggregation expression: checked by mingo
      checkOperators(v, k === '$and' || k === '$or' || k === '$nor');
    } else {
      checkOperators(v, false);
    }
  }
}

/** `{ _id: <scalar> }` or `{ _id: { $eq: <scalar> } }`: answered by a direct lookup alone. */
function isIdEquality(spec: Doc): boolean {
  const keys = Object.keys(spec);
  if (keys.length !== 1 || keys[0] !== '_id') return false;
  let v = spec._id;
  if (isPlainObject(v)) {
    const ops = Object.keys(v);
    if (ops.length !== 1 || ops[0] !== '$eq') return false;
    v = v.$eq;
  }
  return (
    typeof v === 'string' ||
    (typeof v === 'number' && !Number.isNaN(v)) ||
    typeof v === 'boolean' ||
    v instanceof ObjectId ||
    (v instanceof Date && !Number.isNaN(v.getTime()))
  );
}

/** A validated filter, ready to test documents. */
export class Filter {
  private compiled: Query | undefined;
  /** The filter evaluated by the store itself (simpleMatcher), when it is that simple. */
  private native: ((doc: Doc) => boolean) | null | undefined;
  /**
   * The filter is an `_id` equality: the document the `_id` lookup finds is the one match, so
   * neither a test nor a compiled query is needed (the by-_id updates of every service).
   */
  readonly idEquality: boolean;

  constructor(readonly spec: Doc) {
    checkOperators(spec, true);
    this.idEquality = isIdEquality(spec);
    // An `_id` equality is answered by the lookup alone: its matcher is built only if asked for.
    if (this.idEquality) return;
    this.native = simpleMatcher(spec);
    if (!this.native) this.compiled = this.compile();
  }

  private compile(): Query {
    try {
      return new Query(this.spec, { context: MINGO_CONTEXT, scriptEnabled: false });
    } catch (err) {
      throw mapMingoError(err);
    }
  }

  /** Evaluated by the store's own matcher (or an `_id` equality), not by mingo. */
  get simple(): boolean {
    return this.compiled === undefined;
  }

  test(doc: Doc): boolean {
    if (this.native === undefined) this.native = simpleMatcher(this.spec);
    if (this.native) return this.native(doc);
    this.compiled ??= this.compile();
    try {
      return this.compiled.test(doc);
    } catch (err) {
      throw mapMingoError(err);
    }
  }
}

/** The values a condition on `path` sees: each value at it and, for an array, each element. */
function candidatesAt(doc: Doc, path: string): unknown[] {
  const out: unknown[] = [];
  for (const v of valuesAt(doc, path)) {
    out.push(v);
    if (Array.isArray(v)) out.push(...(v as unknown[]));
  }
  return out;
}

/** A value the simple matcher compares: a number (not NaN), string, date, ObjectId or boolean. */
const comparable = (v: unknown): boolean =>
  bracketOf(v) !== null && !(v instanceof Date && Number.isNaN(v.getTime()));

/**
 * A matcher for filters made of conditions on plain field paths — equality, `$eq`, `$ne`, `$in`,
 * `$gt/$gte/$lt/$lte` over numbers, strings, dates, ObjectIds and booleans — which is what
 * services send on every command (`{ channelId, memberId }`, `{ _id: { $in } }`, a key range):
 * compiling a mingo Query for each of them cost more than the match. MongoDB's semantics: a
 * field matches when its value or one of its array's elements does; each comparison operator is
 * met on its own (by any element) within its type bracket (`{ $gt: 5 }` only by numbers); `$ne`
 * when no value or element equals. Null for anything else (mingo evaluates it).
 */
function simpleMatcher(spec: Doc): ((doc: Doc) => boolean) | null {
  const tests: ((doc: Doc) => boolean)[] = [];
  for (const [path, cond] of Object.entries(spec)) {
    if (path.startsWith('$') || path.split('.').some((p) => p === '' || /^\d+$/.test(p)))
      return null;
    if (!isPlainObject(cond)) {
      if (!comparable(cond)) return null;
      tests.push((doc) => candidatesAt(doc, path).some((c) => compareBson(c, cond) === 0));
      continue;
    }
    const ops = Object.entries(cond);
    if (ops.length === 0) return null;
    for (const [op, value] of ops) {
      if (op === '$in') {
        if (!Array.isArray(value) || !(value as unknown[]).every(comparable)) return null;
        const list = value as unknown[];
        tests.push(inList(path, list));
        continue;
      }
      if (!comparable(value)) return null;
      const [lo, hi] = bracketOf(value)!;
      const within = (c: unknown): boolean =>
        compareBson(c, lo.value) >= 0 &&
        (hi.inclusive ? compareBson(c, hi.value) <= 0 : compareBson(c, hi.value) < 0);
      let one: (c: unknown) => boolean;
      switch (op) {
        case '$eq':
        case '$ne':
          one = (c) => compareBson(c, value) === 0;
          break;
        case '$gt':
          one = (c) => within(c) && compareBson(c, value) > 0;
          break;
        case '$gte':
          one = (c) => within(c) && compareBson(c, value) >= 0;
          break;
        case '$lt':
          one = (c) => within(c) && compareBson(c, value) < 0;
          break;
        case '$lte':
          one = (c) => within(c) && compareBson(c, value) <= 0;
          break;
        default:
          return null;
      }
      tests.push(
        op === '$ne'
          ? (doc) => !candidatesAt(doc, path).some(one)
          : (doc) => candidatesAt(doc, path).some(one),
      );
    }
  }
  return (doc) => tests.every((t) => t(doc));
}

/** Past this many values an `$in` is tested by key lookup, not by comparing with each value. */
const IN_LIST_LOOKUP = 8;

/**
 * `path: { $in: list }` over comparable values. A long list (`{ _id: { $in: ids } }` of a batch of
 * 500) is a set of canonical keys (keyOf: equal keys exactly when compareBson says equal, for the
 * comparable types; other candidates — null, arrays, documents — equal none of the list), so a
 * test costs one lookup per candidate rather than one comparison per value.
 */
function inList(path: string, list: unknown[]): (doc: Doc) => boolean {
  if (list.length <= IN_LIST_LOOKUP)
    return (doc) => candidatesAt(doc, path).some((c) => list.some((v) => compareBson(c, v) === 0));
  const keys = new Set(list.map(keyOf));
  return (doc) => candidatesAt(doc, path).some((c) => comparable(c) && keys.has(keyOf(c)));
}

export function mapMingoError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const msg = (err as Error).message ?? String(err);
  const m = /unknown (?:query )?operator:? (\$\w+)/i.exec(msg);
  if (m) return badValue(`unknown operator: ${m[1]}`);
  return badValue(msg);
}

/** How a find reads an index: one or more key ranges of it, and how many entries they hold. */
export interface Plan {
  index: Index;
  ranges: KeyRange[];
  /** Entries in the ranges (documents, unless the index is multikey). */
  entries: number;
}

/** Picks an index for the leading-field condition of a filter; null means a collection scan. */
export function planIndex(filter: Doc, indexes: Iterable<Index>): Plan | null {
  // Equality/$in plans first, then ranges; among candidates of a kind, the one holding the fewest
  // entries wins. Counting a range is O(log n) (sorted-blocks.ts), so no candidate is walked here.
  const usable = [...indexes]
    .filter((index) => index.complete)
    .map((index) => ({ index, ...leadingCondition(filter, index.fields[0]!) }))
    .filter(({ condition }) => condition !== undefined);
  for (const wantPoints of [true, false]) {
    let best: Plan | null = null;
    for (const { index, condition, elemMatch } of usable) {
      let bounds = rangesFor(condition);
      if (!bounds || isPointPlan(bounds) !== wantPoints) continue;
      // An array matches `{ $gt: a, $lt: b }` when one element is above a and another below b
      // ([5, 2000] matches { $gt: 10, $lt: 20 }): on a multikey index only one bound is a
      // bound (as mongod does); within $elemMatch both apply to the same element.
      if (index.multikey && !elemMatch && isPlainObject(condition) && bounds.length === 1) {
        const [low, high] = bounds[0]!;
        const lowOp = '$gt' in condition || '$gte' in condition;
        const highOp = '$lt' in condition || '$lte' in condition;
        if (low && high && lowOp && highOp) bounds = [[low, undefined]];
      }
      const ranges = refine(filter, index, bounds);
      let entries = 0;
      for (const r of ranges) entries += index.count(r);
      if (!best || entries < best.entries) best = { index, ranges, entries };
    }
    if (best) return best;
  }
  return null;
}

/**
 * A single point on the leading field of a compound index (not multikey) narrows to the second
 * field: `{ channelId: c, seq: { $lt: s } }` on `{ channelId: 1, seq: 1 }` is the entries of `c`
 * below `s`, already in `seq` order (a page of a channel is then a short walk, not a sort).
 */
function refine(
  filter: Doc,
  index: Index,
  bounds: [Bound | undefined, Bound | undefined][],
): KeyRange[] {
  if (bounds.length === 1 && index.fields.length > 1 && !index.multikey && isPointPlan(bounds)) {
    const eq = [bounds[0]![0]!.value];
    const second = index.fields[1]!;
    const inner = second in filter ? rangesFor(filter[second]) : null;
    if (inner && inner.length === 1) return [{ eq, low: inner[0]![0], high: inner[0]![1] }];
    return [{ eq }];
  }
  return bounds.map(([low, high]) => ({ eq: [], low, high }));
}

/**
 * The filter's condition on an index's leading field: `{ 'a.b': c }` directly, or `c` from
 * `{ a: { $elemMatch: { b: c } } }` (a matching document has an element whose `b` satisfies `c`,
 * so it sits in the multikey index range of `c`; the whole filter is re-tested on every candidate).
 */
function leadingCondition(filter: Doc, field: string): { condition: unknown; elemMatch: boolean } {
  if (field in filter) return { condition: filter[field], elemMatch: false };
  for (let dot = field.indexOf('.'); dot > 0; dot = field.indexOf('.', dot + 1)) {
    const outer = filter[field.slice(0, dot)];
    if (!isPlainObject(outer) || Object.keys(outer).length !== 1) continue;
    const inner = outer.$elemMatch;
    const rest = field.slice(dot + 1);
    if (isPlainObject(inner) && !rest.startsWith('$') && rest in inner)
      return { condition: inner[rest], elemMatch: true };
  }
  return { condition: undefined, elemMatch: false };
}

function isPointPlan(ranges: [Bound | undefined, Bound | undefined][]): boolean {
  return ranges.every(
    ([low, high]) => low && high && low.inclusive && high.inclusive && low.value === high.value,
  );
}

function isScalar(v: unknown): boolean {
  return (
    !Array.isArray(v) &&
    !isPlainObject(v) &&
    !(v instanceof RegExp) &&
    v !== null &&
    v !== undefined
  );
}

function rangesFor(cond: unknown): [Bound | undefined, Bound | undefined][] | null {
  if (isScalar(cond))
    return [
      [
        { value: cond, inclusive: true },
        { value: cond, inclusive: true },
      ],
    ];
  if (!isPlainObject(cond)) return null;
  const ops = Object.keys(cond);
  if (ops.length === 0 || !ops.every((o) => o.startsWith('$'))) return null;
  if ('$eq' in cond && isScalar(cond.$eq))
    return [
      [
        { value: cond.$eq, inclusive: true },
        { value: cond.$eq, inclusive: true },
      ],
    ];
  if ('$in' in cond && Array.isArray(cond.$in) && cond.$in.every(isScalar)) {
    return (cond.$in as unknown[]).map((v) => [
      { value: v, inclusive: true },
      { value: v, inclusive: true },
    ]);
  }
  // `$type: 'string'` spans exactly the string range of the BSON order (the outbox relay's poll).
  if (ops.length === 1 && (cond.$type === 'string' || cond.$type === 2)) {
    return [
      [
        { value: '', inclusive: true },
        { value: {}, inclusive: false },
      ],
    ];
  }
  let low: Bound | undefined;
  let high: Bound | undefined;
  if ('$gt' in cond && isScalar(cond.$gt)) low = { value: cond.$gt, inclusive: false };
  if ('$gte' in cond && isScalar(cond.$gte)) low = { value: cond.$gte, inclusive: true };
  if ('$lt' in cond && isScalar(cond.$lt)) high = { value: cond.$lt, inclusive: false };
  if ('$lte' in cond && isScalar(cond.$lte)) high = { value: cond.$lte, inclusive: true };
  return low || high ? [[low, high]] : null;
}

/** Sorts below null (rank 1) and above MinKey: where MongoDB puts an empty array. */
const EMPTY_ARRAY_SORT_VALUE = new MinKey();

/** Sort with MongoDB's BSON order; an array field sorts by its smallest (asc) or largest (desc) element. */
export function sortDocs(docs: Doc[], sort: Doc): Doc[] {
  const keys = Object.entries(sort).map(([field, dir]) => {
    if (isPlainObject(dir)) throw unsupported(`sort by ${JSON.stringify(dir)} ($meta)`);
    const d = Number(dir);
    if (d !== 1 && d !== -1) throw badValue(`bad sort direction for '${field}'`);
    return { field, dir: d };
  });
  const sortValue = (doc: Doc, field: string, dir: number): unknown => {
    const vals = valuesAt(doc, field).flatMap((v): unknown[] =>
      Array.isArray(v) ? (v as unknown[]) : [v],
    );
    // Only empty arrays: MongoDB sorts them below null and missing fields.
    if (vals.length === 0) return EMPTY_ARRAY_SORT_VALUE;
    if (vals.length === 1) return vals[0] ?? null;
    return vals.reduce((a, b) => (compareBson(a, b) * dir <= 0 ? a : b));
  };
  // Sort keys are computed once per document, not once per comparison.
  const decorated = docs.map((doc) => ({
    doc,
    values: keys.map(({ field, dir }) => sortValue(doc, field, dir) ?? null),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareBson(a.values[i], b.values[i]);
      if (c) return c * keys[i]!.dir;
    }
    return 0;
  });
  for (let i = 0; i < docs.length; i++) docs[i] = decorated[i]!.doc;
  return docs;
}

/** The range of the BSON order one type class spans (MongoDB's type bracketing of $gt/$lt). */
function bracketOf(v: unknown): [Bound, Bound] | null {
  if (typeof v === 'number')
    return Number.isNaN(v)
      ? null
      : [
          { value: -Infinity, inclusive: true },
          { value: Infinity, inclusive: true },
        ];
  if (typeof v === 'string')
    return [
      { value: '', inclusive: true },
      { value: {}, inclusive: false },
    ];
  if (v instanceof Date)
    return Number.isNaN(v.getTime())
      ? null
      : [
          { value: new Date(-8.64e15), inclusive: true },
          { value: new Date(8.64e15), inclusive: true },
        ];
  if (v instanceof ObjectId)
    return [
      { value: new ObjectId('000000000000000000000000'), inclusive: true },
      { value: new ObjectId('ffffffffffffffffffffffff'), inclusive: true },
    ];
  if (typeof v === 'boolean')
    return [
      { value: false, inclusive: true },
      { value: true, inclusive: true },
    ];
  return null;
}

const sameBracket = (a: unknown, b: unknown): boolean => {
  const x = bracketOf(a);
  const y = bracketOf(b);
  return x !== null && y !== null && compareBson(x[0].value, y[0].value) === 0;
};

/**
 * For a filter whose every condition is exact on its field — equality, `$in`, or
 * `$gt/$gte/$lt/$lte` over numbers, strings, dates, ObjectIds or booleans — each field's index
 * ranges: exactly the values it matches, when that field never holds an array (a count may then
 * read them from an index without looking at any document). Null for anything else.
 */
export function exactConditions(filter: Doc): Map<string, KeyRange[]> | null {
  const out = new Map<string, KeyRange[]>();
  for (const field of Object.keys(filter)) {
    if (field.startsWith('$') || field === '_id') return null;
    const ranges = exactRangesOf(filter[field]);
    if (!ranges) return null;
    out.set(field, ranges);
  }
  return out;
}

function exactRangesOf(cond: unknown): KeyRange[] | null {
  const point = (v: unknown): KeyRange | null =>
    bracketOf(v)
      ? { eq: [], low: { value: v, inclusive: true }, high: { value: v, inclusive: true } }
      : null;
  if (!isPlainObject(cond)) {
    const r = point(cond);
    return r && [r];
  }
  const ops = Object.keys(cond);
  if (ops.length === 1 && ops[0] === '$eq') {
    const r = point(cond.$eq);
    return r && [r];
  }
  if (ops.length === 1 && ops[0] === '$in') {
    if (!Array.isArray(cond.$in)) return null;
    const distinct: unknown[] = [];
    for (const v of cond.$in as unknown[]) {
      if (!bracketOf(v)) return null;
      if (!distinct.some((w) => compareBson(v, w) === 0)) distinct.push(v);
    }
    return distinct.map((v) => point(v)!);
  }
  if (ops.length === 0 || ops.length > 2) return null;
  let low: Bound | undefined;
  let high: Bound | undefined;
  for (const op of ops) {
    const value = cond[op];
    if (!bracketOf(value)) return null;
    if ((op === '$gt' || op === '$gte') && !low) low = { value, inclusive: op === '$gte' };
    else if ((op === '$lt' || op === '$lte') && !high) high = { value, inclusive: op === '$lte' };
    else return null;
  }
  // e.g. { $gt: 5, $lt: 'x' }: no value is both a number above 5 and a string below 'x'
  if (low && high && !sameBracket(low.value, high.value)) return [];
  const bracket = bracketOf((low ?? high)!.value)!;
  return [{ eq: [], low: low ?? bracket[0], high: high ?? bracket[1] }];
}

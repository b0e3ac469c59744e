import { MinKey } from 'bson';
import { Query } from 'mingo/query';
import { compareBson } from './bson-order.js';
import { badValue, CommandError, unsupported } from './errors.js';
import type { Index } from './index-def.js';
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

/** A validated filter, ready to test documents. */
export class Filter {
  private readonly query: Query;

  constructor(readonly spec: Doc) {
    checkOperators(spec, true);
    try {
      this.query = new Query(spec, { context: MINGO_CONTEXT, scriptEnabled: false });
    } catch (err) {
      throw mapMingoError(err);
    }
  }

  test(doc: Doc): boolean {
    try {
      return this.query.test(doc);
    } catch (err) {
      throw mapMingoError(err);
    }
  }
}

export function mapMingoError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  const msg = (err as Error).message ?? String(err);
  const m = /unknown (?:query )?operator:? (\$\w+)/i.exec(msg);
  if (m) return badValue(`unknown operator: ${m[1]}`);
  return badValue(msg);
}

type Bound = { value: unknown; inclusive: boolean };

/** Picks an index for the leading-field condition of a filter; null means a collection scan. */
export function planIndex(
  filter: Doc,
  indexes: Iterable<Index>,
): { index: Index; ids: string[] } | null {
  // Equality/$in plans first (point lookups are cheap to compute for every index), then ranges;
  // among candidates of a kind, the one yielding the fewest documents wins.
  const usable = [...indexes]
    .filter((index) => index.complete)
    .map((index) => ({ index, condition: leadingCondition(filter, index.fields[0]!) }))
    .filter(({ condition }) => condition !== undefined);
  for (const wantPoints of [true, false]) {
    let best: { index: Index; ids: string[] } | null = null;
    for (const { index, condition } of usable) {
      const ranges = rangesFor(condition);
      if (!ranges || isPointPlan(ranges) !== wantPoints) continue;
      const ids = new Set<string>();
      for (const [low, high] of ranges) for (const id of index.range(low, high)) ids.add(id);
      if (!best || ids.size < best.ids.length) best = { index, ids: [...ids] };
    }
    if (best) return best;
  }
  return null;
}

/**
 * The filter's condition on an index's leading field: `{ 'a.b': c }` directly, or `c` from
 * `{ a: { $elemMatch: { b: c } } }` (a matching document has an element whose `b` satisfies `c`,
 * so it sits in the multikey index range of `c`; the whole filter is re-tested on every candidate).
 */
function leadingCondition(filter: Doc, field: string): unknown {
  if (field in filter) return filter[field];
  for (let dot = field.indexOf('.'); dot > 0; dot = field.indexOf('.', dot + 1)) {
    const outer = filter[field.slice(0, dot)];
    if (!isPlainObject(outer) || Object.keys(outer).length !== 1) continue;
    const inner = outer.$elemMatch;
    const rest = field.slice(dot + 1);
    if (isPlainObject(inner) && !rest.startsWith('$') && rest in inner) return inner[rest];
  }
  return undefined;
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

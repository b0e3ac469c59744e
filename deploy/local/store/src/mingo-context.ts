import { Decimal128, Long, Timestamp } from 'bson';
import { Context } from 'mingo';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as base from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import type { Any, AnyObject, Options } from 'mingo/types';
import { compareBson } from './bson-order.js';
import { valuesAt } from './paths.js';
import { $type } from './type-operator.js';

/**
 * The mingo operator set the store evaluates filters and pipelines with: mingo's own, except for
 * the comparisons below and an exact `$type` (type-operator.ts).
 *
 * mingo compares Long/Decimal128 values (kept as objects, `promoteLongs: false`) by identity, so
 * `{ n: { $gt: 6 } }` would silently miss `n: Long(7)`. These comparison operators take over
 * whenever such a value is involved and compare numerically in BSON order; otherwise they are
 * mingo's own.
 */
const isWide = (v: unknown): boolean =>
  (v instanceof Long && !(v instanceof Timestamp)) || v instanceof Decimal128;
const isNumeric = (v: unknown): boolean => typeof v === 'number' || isWide(v);

/** The values a condition on `selector` sees: each value and, for arrays, each element. */
function candidates(o: unknown, selector: string): unknown[] {
  return valuesAt(o, selector).flatMap((v) => (Array.isArray(v) ? [v, ...(v as unknown[])] : [v]));
}

type QueryOp = (selector: string, value: Any, options: Options) => (o: AnyObject) => boolean;

function relation(
  name: '$eq' | '$gt' | '$gte' | '$lt' | '$lte',
  ok: (c: number) => boolean,
): QueryOp {
  const own = base[name];
  return (selector, value, options) => {
    const fallback = own(selector, value, options);
    if (!isNumeric(value)) return fallback;
    return (o) => {
      const vals = candidates(o, selector);
      if (!isWide(value) && !vals.some(isWide)) return fallback(o);
      return vals.some((v) => isNumeric(v) && ok(compareBson(v, value)));
    };
  };
}

function membership(negate: boolean): QueryOp {
  const own = base.$in;
  return (selector, value, options) => {
    const fallback = own(selector, value, options);
    const list = Array.isArray(value) ? (value as unknown[]) : [];
    const numbers = list.filter(isNumeric);
    if (numbers.length === 0) return (negate ? base.$nin : base.$in)(selector, value, options);
    const test = (o: AnyObject): boolean => {
      if (fallback(o)) return true;
      const vals = candidates(o, selector);
      if (!numbers.some(isWide) && !vals.some(isWide)) return false;
      return vals.some((v) => isNumeric(v) && numbers.some((n) => compareBson(v, n) === 0));
    };
    return negate ? (o) => !test(o) : test;
  };
}

const $eq = relation('$eq', (c) => c === 0);

/**
 * Every mingo operator, with the comparisons above and our exact `$type` in place of its own.
 * Use it with the unwrapped `mingo/query` and `mingo/aggregator` classes: the package's wrapped ones merge their default
 * context first, and with mingo the first context to define an operator wins.
 */
export const MINGO_CONTEXT = Context.init({
  accumulator: accumulatorOps,
  expression: expressionOps,
  pipeline: pipelineOps,
  projection: projectionOps,
  window: windowOps,
  query: {
    ...base,
    $eq,
    $ne: (selector: string, value: Any, options: Options) => {
      if (!isNumeric(value)) return base.$ne(selector, value, options);
      const eq = $eq(selector, value, options);
      return (o: AnyObject) => !eq(o);
    },
    $gt: relation('$gt', (c) => c > 0),
    $gte: relation('$gte', (c) => c >= 0),
    $lt: relation('$lt', (c) => c < 0),
    $lte: relation('$lte', (c) => c <= 0),
    $type,
    $in: membership(false),
    $nin: membership(true),
  },
});

import { BSONRegExp, Decimal128, Long, ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { compareBson } from './bson-order.js';
import {
  badValue,
  conflictingUpdate,
  failedToParse,
  immutableField,
  typeMismatch,
  unsupported,
} from './errors.js';
import { cloneDoc, getPath, isPlainObject, setPath, type Doc } from './paths.js';
import { SUPPORTED_UPDATE_OPERATORS } from './supported-subset.js';

const SUPPORTED = new Set<string>(SUPPORTED_UPDATE_OPERATORS);
const ARITHMETIC = new Set(['$inc', '$mul']);

export type UpdateSpec = Doc;

export function isOperatorUpdate(spec: UpdateSpec): boolean {
  const keys = Object.keys(spec);
  return keys.length > 0 && keys[0]!.startsWith('$');
}

/** Validates an update document up front so a refused update never touches anything. */
export function validateUpdate(spec: unknown): void {
  if (Array.isArray(spec)) throw unsupported('pipeline-style updates');
  if (!isPlainObject(spec)) throw failedToParse('update must be a document');
  if (!isOperatorUpdate(spec)) {
    for (const k of Object.keys(spec))
      if (k.startsWith('$'))
        throw failedToParse(
          `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in a replacement document`,
        );
    return;
  }
  const seen: string[] = [];
  for (const [op, fields] of Object.entries(spec)) {
    if (!op.startsWith('$'))
      throw failedToParse(
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!SUPPORTED.has(op)) {
      if (op === '$bit') throw unsupported('$bit');
      throw failedToParse(
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(fields))
      throw failedToParse(`Modifiers operate on fields but we found type ${typeof fields} instead`);
    for (const [path, value] of Object.entries(fields)) {
      if (ARITHMETIC.has(op)) {
        if (value instanceof Long || value instanceof Decimal128)
          throw unsupported(
            `${op} with ${value instanceof Long ? 'Long' : 'Decimal128'} (64-bit/decimal arithmetic)`,
          );
        if (typeof value !== 'number')
          throw typeMismatch(
            `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(value)}}`,
          );
      }
      const paths = op === '$rename' ? [path, String(value)] : [path];
      for (const p of paths) {
        const base = p.replace(/\.\$(\[[^\]]*\])?/g, '');
        const clash = seen.find(
          (s) => s === base || s.startsWith(`${base}.`) || base.startsWith(`${s}.`),
        );
        if (clash !== undefined)
          throw conflictingUpdate(`Updating the path '${p}' would create a conflict at '${clash}'`);
        seen.push(base);
      }
    }
  }
}

/** Equality conditions of a filter, which seed an upserted document (MongoDB semantics). */
export function seedFromFilter(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (f: Doc) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v) if (isPlainObject(sub)) visit(sub);
      } else if (!k.startsWith('$')) {
        if (isPlainObject(v) && Object.keys(v).some((o) => o.startsWith('$'))) {
          if ('$eq' in v) setPath(seed, k, cloneDoc(v.$eq));
          // A one-element $in is an equality for seeding, as mongod treats it.
          else if (Array.isArray(v.$in) && v.$in.length === 1)
            setPath(seed, k, cloneDoc((v.$in as unknown[])[0]));
        } else if (!(v instanceof RegExp) && !(v instanceof BSONRegExp)) {
          // A regex is a match condition, not a value to store.
          setPath(seed, k, cloneDoc(v));
        }
      }
    }
  };
  visit(filter);
  return seed;
}

function assertNumericTargets(doc: Doc, spec: UpdateSpec): void {
  for (const op of ['$inc', '$mul'] as const) {
    const fields = spec[op];
    if (!isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) {
      if (path.includes('$')) continue;
      const cur = getPath(doc, path);
      if (cur instanceof Long || cur instanceof Decimal128)
        throw unsupported(
          `${op} on a ${cur instanceof Long ? 'Long' : 'Decimal128'} field (64-bit/decimal arithmetic)`,
        );
      if (cur !== undefined && cur !== null && typeof cur !== 'number') {
        const id = doc._id instanceof ObjectId ? doc._id.toHexString() : String(doc._id);
        throw typeMismatch(
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${id}} has the field '${path}' of non-numeric type ${Array.isArray(cur) ? 'array' : typeof cur}`,
        );
      }
    }
  }
}

/**
 * Applies `spec` to a copy of `doc` and returns the new document (or the same object when nothing changed).
 * `query` is the filter, needed by the positional `$` operator; `inserting` applies `$setOnInsert`.
 */
export function applyUpdate(
  doc: Doc,
  spec: UpdateSpec,
  opts: { query: Doc; arrayFilters?: Doc[]; inserting: boolean },
): Doc {
  if (!isOperatorUpdate(spec)) {
    if ('_id' in spec && compareBson(spec._id, doc._id) !== 0)
      throw immutableField(
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    return { _id: doc._id, ...cloneDoc(spec) };
  }
  const next = cloneDoc(doc);
  assertNumericTargets(next, spec);
  for (const [op, fields] of Object.entries(spec)) {
    if (op === '$setOnInsert' && opts.inserting) continue;
    if (!isPlainObject(fields)) continue;
    for (const [path, value] of Object.entries(fields)) {
      const touchesId =
        path === '_id' || path.startsWith('_id.') || (op === '$rename' && value === '_id');
      if (touchesId && !(op === '$set' && path === '_id' && compareBson(value, doc._id) === 0)) {
        throw immutableField(
          "Performing an update on the path '_id' would modify the immutable field '_id'",
        );
      }
    }
  }
  const { $setOnInsert, ...rest } = spec;
  if (opts.inserting && isPlainObject($setOnInsert)) {
    for (const [path, value] of Object.entries($setOnInsert)) setPath(next, path, cloneDoc(value));
  }
  const usesPositional = Object.values(rest).some(
    (f) => isPlainObject(f) && Object.keys(f).some((p) => /\.\$(\.|$)/.test(p)),
  );
  if (usesPositional && !opts.inserting) {
    const hasArrayCondition = Object.keys(opts.query).some((k) => !k.startsWith('$'));
    if (!hasArrayCondition)
      throw badValue('The positional operator did not find the match needed from the query.');
  }
  if (Object.keys(rest).length) {
    try {
      mingoUpdate(
        next,
        rest as never,
        opts.arrayFilters,
        usesPositional ? (opts.query as never) : undefined,
        { cloneMode: 'deep' },
      );
    } catch (err) {
      const msg = (err as Error).message;
      if (/positional|'\.\$'/i.test(msg))
        throw badValue('The positional operator did not find the match needed from the query.');
      throw badValue(msg);
    }
  }
  if (compareBson(next._id, doc._id) !== 0)
    throw immutableField(
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  return next;
}

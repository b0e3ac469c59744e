import { BSONRegExp, Decimal128, Long, ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { compareBson } from './bson-order.js';
import {
  badValue,
  CommandError,
  conflictingUpdate,
  failedToParse,
  immutableField,
  typeMismatch,
  unsupported,
} from './errors.js';
import { cloneDoc, getPath, isPlainObject, setPath, type Doc } from './paths.js';
import { Filter } from './query.js';
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
  assertNumericTargets(doc, spec);
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
  const usesPositional = Object.values(rest).some(
    (f) => isPlainObject(f) && Object.keys(f).some((p) => /\.\$(\.|$)/.test(p)),
  );
  if (usesPositional && !opts.inserting) {
    const hasArrayCondition = Object.keys(opts.query).some((k) => !k.startsWith('$'));
    if (!hasArrayCondition)
      throw badValue('The positional operator did not find the match needed from the query.');
  }
  if (!opts.inserting && !usesPositional && !opts.arrayFilters) {
    // Copy on write: a shallow copy, and applyDirect copies what it changes below it.
    const shallow = { ...doc };
    if (applyDirect(shallow, rest)) return shallow;
  }
  const next = cloneDoc(doc);
  if (opts.inserting && isPlainObject($setOnInsert)) {
    for (const [path, value] of Object.entries($setOnInsert)) setPath(next, path, cloneDoc(value));
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

/** Operators applyDirect() evaluates itself; anything else goes through mingo's updater. */
const DIRECT = new Set(['$set', '$unset', '$inc', '$push', '$pull', '$currentDate']);

/** Compares dotted paths field by field (MongoDB applies an update's fields in this order). */
function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/** A BSON type name as mongod's error messages spell it. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 'int' : 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof ObjectId) return 'objectId';
  if (v instanceof Long) return 'long';
  if (v instanceof Decimal128) return 'decimal';
  if (isPlainObject(v)) return 'object';
  return 'unknown';
}

/** A scalar as mongod prints it inside an error message. */
function scalarText(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeName(v);
}

/** `{_id: …}` as mongod prints a document's id in an update error. */
function idOf(doc: Doc): string {
  return `{_id: ${scalarText(doc._id)}}`;
}

/** A $push argument this module applies itself: a value, or `{ $each: [...] [, $slice: n] }`. */
function pushArgs(value: unknown): { each: unknown[]; slice?: number } | null {
  if (!isPlainObject(value) || !('$each' in value)) {
    if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) return null;
    return { each: [value] };
  }
  const keys = Object.keys(value);
  if (!keys.every((k) => k === '$each' || k === '$slice')) return null;
  if (!Array.isArray(value.$each)) return null;
  if ('$slice' in value && !(typeof value.$slice === 'number' && Number.isInteger(value.$slice)))
    return null;
  return { each: value.$each as unknown[], slice: value.$slice as number | undefined };
}

/**
 * Each `$pull` condition's matcher, by the condition object: an update statement's condition is
 * one object for every document it updates, so its matcher (a relay's `$in` of 100 entry ids is a
 * set of 100 keys) is built once per statement, not once per document.
 */
const pullConditions = new WeakMap<Doc, Filter | null>();

/**
 * A `$pull` condition this module applies itself: a document of conditions on the fields of the
 * array's documents (`{ moves: { b } }`), with no operator at its top, tested by the store's own
 * matcher (`Filter`); an element that is not a document never matches it. Null for anything else.
 */
function pullCondition(value: unknown): Filter | null {
  if (!isPlainObject(value)) return null;
  let filter = pullConditions.get(value);
  if (filter !== undefined) return filter;
  const keys = Object.keys(value);
  filter = null;
  if (keys.length > 0 && !keys.some((k) => k.startsWith('$'))) {
    const built = new Filter(value);
    if (built.simple) filter = built;
  }
  pullConditions.set(value, filter);
  return filter;
}

/**
 * Applies `$set $unset $inc $push($each/$slice) $pull(condition) $currentDate(true)` to `next` (a fresh shallow
 * copy of the stored document) without mingo: only the objects along each updated path are
 * copied, the rest is shared with the previous version (documents are never changed in place).
 * Fields are visited in MongoDB's order (by path, field by field), so new fields land where
 * mongod puts them. Returns false, having changed nothing, when the update needs what only the
 * general path does (array elements on the path, other operators or modifiers).
 */
function applyDirect(next: Doc, spec: UpdateSpec): boolean {
  const steps: { op: string; parts: string[]; value: unknown }[] = [];
  for (const [op, fields] of Object.entries(spec)) {
    if (!DIRECT.has(op) || !isPlainObject(fields)) return false;
    for (const [path, value] of Object.entries(fields)) {
      const parts = path.split('.');
      if (parts.some((p) => p === '' || /^\d+$/.test(p) || p.startsWith('$'))) return false;
      if (op === '$push' && !pushArgs(value)) return false;
      if (op === '$pull' && !pullCondition(value)) return false;
      if (op === '$currentDate' && value !== true) return false;
      steps.push({ op, parts, value });
    }
  }
  // Check every path before changing anything: a refusal leaves `next` as it was.
  for (const { op, parts } of steps) {
    let cur: unknown = next;
    for (let i = 0; i < parts.length - 1; i++) {
      const child: unknown = (cur as Doc)[parts[i]!];
      if (child === undefined) {
        if (op === '$unset') break;
        cur = undefined;
        break;
      }
      if (!isPlainObject(child)) {
        if (Array.isArray(child)) return false; // array elements on the path: mingo's semantics
        if (op === '$unset') break;
        throw new CommandError(
          28,
          'PathNotViable',
          `Cannot create field '${parts[i + 1]}' in element {${parts[i]}: ${scalarText(child)}}`,
        );
      }
      cur = child;
    }
    if (isPlainObject(cur)) {
      const target = cur[parts[parts.length - 1]!];
      // $pull from a non-array: mingo's general path (and its error) decides
      if (op === '$pull' && target !== undefined && !Array.isArray(target)) return false;
      if (op === '$push' && target !== undefined && !Array.isArray(target))
        throw badValue(
          `The field '${parts.join('.')}' must be an array but is of type ${typeName(target)} in document ${idOf(next)}`,
        );
      if (op === '$inc' && target === null)
        throw typeMismatch(
          `Cannot apply $inc to a value of non-numeric type. ${idOf(next)} has the field '${parts.join('.')}' of non-numeric type null`,
        );
    }
  }
  steps.sort((a, b) => comparePaths(a.parts, b.parts));
  const copied = new Set<Doc>([next]);
  for (const { op, parts, value } of steps) {
    let cur = next;
    let i = 0;
    for (; i < parts.length - 1; i++) {
      const key = parts[i]!;
      let child = cur[key];
      if (op === '$unset' && !isPlainObject(child)) break; // nothing there to remove
      if (child === undefined) {
        child = {};
        cur[key] = child;
        copied.add(child as Doc);
      } else if (!copied.has(child as Doc)) {
        child = { ...(child as Doc) };
        cur[key] = child;
        copied.add(child as Doc);
      }
      cur = child as Doc;
    }
    if (i < parts.length - 1) continue; // $unset of a path that is not there
    const last = parts[parts.length - 1]!;
    switch (op) {
      case '$set':
        cur[last] = cloneDoc(value);
        break;
      case '$unset':
        delete cur[last];
        break;
      case '$inc':
        cur[last] = ((cur[last] as number | undefined) ?? 0) + (value as number);
        break;
      case '$currentDate':
        cur[last] = new Date();
        break;
      case '$pull': {
        const arr = cur[last] as unknown[] | undefined;
        if (arr === undefined) break;
        const condition = pullCondition(value)!;
        const kept = arr.filter((e) => !(isPlainObject(e) && condition.test(e)));
        if (kept.length !== arr.length) cur[last] = kept;
        break;
      }
      case '$push': {
        const { each, slice } = pushArgs(value)!;
        let arr = [...((cur[last] as unknown[] | undefined) ?? []), ...each.map(cloneDoc)];
        if (slice !== undefined)
          arr = slice >= 0 ? arr.slice(0, slice) : arr.slice(Math.max(0, arr.length + slice));
        cur[last] = arr;
        break;
      }
    }
  }
  return true;
}

import {
  Binary,
  BSONRegExp,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import type { Any, AnyObject, Options } from 'mingo/types';
import { badValue } from './errors.js';
import { valuesAt } from './paths.js';

/** BSON type codes by `$type` alias (https://www.mongodb.com/docs/manual/reference/bson-types/). */
const ALIASES: Record<string, number[]> = {
  double: [1],
  string: [2],
  object: [3],
  array: [4],
  binData: [5],
  undefined: [6],
  objectId: [7],
  bool: [8],
  date: [9],
  null: [10],
  regex: [11],
  javascript: [13],
  int: [16],
  timestamp: [17],
  long: [18],
  decimal: [19],
  minKey: [-1],
  maxKey: [127],
  number: [1, 16, 18, 19],
};

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The BSON type code of a value as read from the wire. Values are read with `promoteValues`, so
 * an integral number in int32 range is an int, exactly as the driver serialises a JS number.
 */
export function bsonTypeCode(v: unknown): number {
  if (v === null) return 10;
  if (v === undefined) return 6;
  if (typeof v === 'number')
    return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0) ? 16 : 1;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Timestamp) return 17;
  if (v instanceof Long) return 18;
  if (v instanceof Decimal128) return 19;
  if (v instanceof Int32) return 16;
  if (v instanceof Double) return 1;
  if (v instanceof Date) return 9;
  if (v instanceof ObjectId) return 7;
  if (v instanceof RegExp || v instanceof BSONRegExp) return 11;
  if (v instanceof Binary || Buffer.isBuffer(v)) return 5;
  if (v instanceof MinKey) return -1;
  if (v instanceof MaxKey) return 127;
  if (v instanceof Code) return 13;
  if (Array.isArray(v)) return 4;
  return 3;
}

function wantedCodes(spec: unknown): Set<number> {
  const out = new Set<number>();
  for (const t of Array.isArray(spec) ? (spec as unknown[]) : [spec]) {
    if (typeof t === 'string') {
      const codes = ALIASES[t];
      if (!codes) throw badValue(`Unknown type name alias: ${t}`);
      codes.forEach((c) => out.add(c));
    } else if (typeof t === 'number' && Number.isInteger(t)) {
      out.add(t);
    } else {
      throw badValue(`type must be represented as a number or a string, got ${String(t)}`);
    }
  }
  return out;
}

/** `$type` as MongoDB evaluates it: a field matches when it, or any element of it, has the type. */
export function $type(selector: string, value: Any, _options: Options): (o: AnyObject) => boolean {
  const wanted = wantedCodes(value);
  return (o) =>
    valuesAt(o, selector).some((v) => {
      if (v === undefined) return false; // a missing field has no type
      if (wanted.has(bsonTypeCode(v))) return true;
      return Array.isArray(v) && (v as unknown[]).some((e) => wanted.has(bsonTypeCode(e)));
    });
}

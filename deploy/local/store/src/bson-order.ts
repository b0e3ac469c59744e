import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';

/** MongoDB's cross-type comparison order (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/). */
function typeRank(v: unknown): number {
  if (v instanceof MinKey) return 0;
  if (v === null || v === undefined) return 1;
  // Timestamp extends Long in the bson package: test it before the numbers.
  if (v instanceof Timestamp) return 10;
  if (
    typeof v === 'number' ||
    v instanceof Long ||
    v instanceof Int32 ||
    v instanceof Double ||
    v instanceof Decimal128
  )
    return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (v instanceof Binary || Buffer.isBuffer(v)) return 6;
  if (v instanceof ObjectId) return 7;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  if (v instanceof Timestamp) return 10;
  if (v instanceof RegExp) return 11;
  if (v instanceof MaxKey) return 12;
  return 4; // embedded document
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  if (v instanceof Decimal128) return Number(v.toString());
  return NaN;
}

/** Long against Long or an integral number: exact (BigInt), as doubles lose precision past 2^53. */
function compareIntegers(a: unknown, b: unknown): number | null {
  if (!(a instanceof Long) && !(b instanceof Long)) return null;
  const big = (v: unknown): bigint | null =>
    v instanceof Long
      ? BigInt(v.toString())
      : typeof v === 'number' && Number.isInteger(v)
        ? BigInt(v)
        : null;
  const x = big(a);
  const y = big(b);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

function cmpPrimitive<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order over BSON values, as MongoDB sorts and indexes them. */
export function compareBson(a: unknown, b: unknown): number {
  // Two strings or two numbers (not NaN), what index keys mostly are: the order the type
  // ranks below give them, without ranking each.
  if (typeof a === 'string' && typeof b === 'string') return cmpPrimitive(a, b);
  if (typeof a === 'number' && typeof b === 'number' && a === a && b === b)
    return cmpPrimitive(a, b);
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
    case 1:
    case 12:
      return 0;
    case 2: {
      const exact = compareIntegers(a, b);
      if (exact !== null) return exact;
      const x = toNumber(a);
      const y = toNumber(b);
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1; // NaN sorts below every number
      if (Number.isNaN(y)) return 1;
      return cmpPrimitive(x, y);
    }
    case 3:
      return cmpPrimitive(a as string, b as string);
    case 4:
      return compareDocuments(a as Record<string, unknown>, b as Record<string, unknown>);
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareBson(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 6: {
      const x = a instanceof Binary ? Buffer.from(a.buffer) : (a as Buffer);
      const y = b instanceof Binary ? Buffer.from(b.buffer) : (b as Buffer);
      return x.length - y.length || Buffer.compare(x, y);
    }
    case 7:
      return Buffer.compare((a as ObjectId).id, (b as ObjectId).id);
    case 8:
      return Number(a) - Number(b);
    case 9:
      return cmpPrimitive((a as Date).getTime(), (b as Date).getTime());
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    case 11:
      return cmpPrimitive(String(a), String(b));
    default:
      return 0;
  }
}

function compareDocuments(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const c = compareBson(a[ka[i]!], b[kb[i]!]);
    if (c) return c;
    const k = cmpPrimitive(ka[i]!, kb[i]!);
    if (k) return k;
  }
  return ka.length - kb.length;
}

/** A stable string for equality lookups (map keys): same value ⇒ same key, across numeric types. */
export function keyOf(v: unknown): string {
  const rank = typeRank(v);
  switch (rank) {
    case 1:
      return 'n';
    case 2:
      // A Long past 2^53 keeps its exact digits (two such Longs must not share a key).
      return v instanceof Long && !Number.isSafeInteger(toNumber(v))
        ? `#${v.toString()}`
        : `#${toNumber(v)}`;
    case 3:
      return `s${v as string}`;
    case 7:
      return `o${(v as ObjectId).toHexString()}`;
    case 8:
      return `b${String(v)}`;
    case 9:
      return `d${(v as Date).getTime()}`;
    case 5:
      return `[${(v as unknown[]).map(keyOf).join(',')}]`;
    case 4:
      return `{${Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${JSON.stringify(k)}:${keyOf(x)}`)
        .join(',')}}`;
    case 6: {
      const buf = v instanceof Binary ? Buffer.from(v.buffer) : (v as Buffer);
      return `x${buf.toString('hex')}`;
    }
    default:
      return `${rank}:${String(v)}`;
  }
}

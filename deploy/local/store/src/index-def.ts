import { Query } from 'mingo';
import { compareBson } from './bson-order.js';
import { badValue, DuplicateKeyError, invalidOptions, unsupported } from './errors.js';
import { isPlainObject, valuesAt, type Doc } from './paths.js';
import { SortedBlocks, type Position, type Probe } from './sorted-blocks.js';

export interface IndexSpec {
  v: number;
  key: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
}

interface Entry {
  key: unknown[];
  id: string;
}

function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareBson(a[i], b[i]);
    if (c) return c;
  }
  return 0;
}

/** Equal in BSON order and of the same type (1 and Long(1) are equal keys but not the same entry). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return a.constructor === b.constructor && compareBson(a, b) === 0;
}

/** The same keys in the same order (keysOf is deterministic for equal documents). */
function sameKeys(a: unknown[][], b: unknown[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    for (let j = 0; j < x.length; j++) if (!sameValue(x[j], y[j])) return false;
  }
  return true;
}

const ALLOWED_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
]);

/** Checks a createIndexes entry against what we support; refuses text/geo/hashed/collation loudly. */
export function validateIndexSpec(raw: Doc): IndexSpec {
  for (const opt of Object.keys(raw)) {
    if (opt === 'collation') throw unsupported('collation');
    if (!ALLOWED_OPTIONS.has(opt)) throw unsupported(`index option '${opt}'`);
  }
  if (!isPlainObject(raw.key) || Object.keys(raw.key).length === 0)
    throw badValue('index key pattern must be a non-empty document');
  const key: Record<string, 1 | -1> = {};
  for (const [field, dir] of Object.entries(raw.key)) {
    if (dir === 'text') throw unsupported('text indexes ($text)');
    if (dir === '2dsphere' || dir === '2d' || dir === 'geoHaystack')
      throw unsupported(`${dir} (geo) indexes`);
    if (dir === 'hashed') throw unsupported('hashed indexes');
    const n = Number(dir);
    if (n !== 1 && n !== -1)
      throw badValue(`invalid index direction for '${field}': ${String(dir)}`);
    key[field] = n;
  }
  if (typeof raw.name !== 'string' || !raw.name) throw badValue('index name is required');
  if (raw.expireAfterSeconds !== undefined) {
    if (typeof raw.expireAfterSeconds !== 'number' || raw.expireAfterSeconds < 0)
      throw invalidOptions('expireAfterSeconds must be a non-negative number');
    if (Object.keys(key).length !== 1)
      throw invalidOptions(
        'TTL indexes are single-field indexes, compound indexes do not support TTL',
      );
  }
  const spec: IndexSpec = { v: 2, key, name: raw.name };
  if (raw.unique) spec.unique = true;
  if (raw.sparse) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression))
      throw badValue('partialFilterExpression must be a document');
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined) spec.expireAfterSeconds = raw.expireAfterSeconds;
  return spec;
}

/** A bound on one key component: the value and whether it is in the range. */
export interface Bound {
  value: unknown;
  inclusive: boolean;
}

/**
 * A contiguous stretch of an index: entries whose first `eq.length` key components equal `eq`
 * and whose next component lies within `low`/`high` (an open side when undefined).
 */
export interface KeyRange {
  eq: unknown[];
  low?: Bound;
  high?: Bound;
}

/** `e`'s first components against `eq`: < 0 before, 0 equal, > 0 after. */
function comparePrefix(key: unknown[], eq: unknown[]): number {
  for (let i = 0; i < eq.length; i++) {
    const c = compareBson(key[i], eq[i]);
    if (c) return c;
  }
  return 0;
}

/** One in-memory index: entries sorted by key then document id, in sorted blocks. */
export class Index {
  readonly fields: string[];
  /** Each field's path, split once. */
  private readonly paths: string[][];
  private readonly entries = new SortedBlocks<Entry>();
  private readonly partial?: Query;
  /**
   * Documents holding an array at one of the indexed paths (mongod's "multikey"): while there is
   * none, every document has exactly one entry, so entries can be counted as documents and a
   * range of entries is exactly the documents whose value lies in it.
   */
  private arrayDocs = 0;

  constructor(
    readonly spec: IndexSpec,
    private readonly ns: string,
  ) {
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map((f) => f.split('.'));
    if (spec.partialFilterExpression) this.partial = new Query(spec.partialFilterExpression);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Usable for planning only when it holds every document. */
  get complete(): boolean {
    return !this.spec.sparse && !this.partial;
  }

  /** Some document holds an array at an indexed path (it may then have several entries). */
  get multikey(): boolean {
    return this.arrayDocs > 0;
  }

  /** An array anywhere along an indexed path (the value itself or a parent of it). */
  private holdsArray(doc: Doc): boolean {
    return this.paths.some((parts) => {
      let cur: unknown = doc;
      for (const part of parts) {
        if (cur === null || typeof cur !== 'object') return false;
        if (Array.isArray(cur)) return true;
        cur = (cur as Doc)[part];
      }
      return Array.isArray(cur);
    });
  }

  /** The keys a document contributes (several when a field holds an array). */
  keysOf(doc: Doc): unknown[][] {
    if (this.partial && !this.partial.test(doc)) return [];
    if (this.fields.length === 1) {
      // The common case without the cartesian product: one field, usually one scalar value.
      const raw = valuesAt(doc, this.fields[0]!);
      if (raw.length === 1 && !Array.isArray(raw[0])) {
        if (this.spec.sparse && raw[0] === undefined) return [];
        return [[raw[0] === undefined ? null : raw[0]]];
      }
    }
    const perField = this.fields.map((f) => {
      const vals = valuesAt(doc, f).flatMap((v) =>
        Array.isArray(v) ? ((v as unknown[]).length ? (v as unknown[]) : [undefined]) : [v],
      );
      return vals.map((v): unknown => (v === undefined ? null : v));
    });
    if (
      this.spec.sparse &&
      this.fields.every((f) => valuesAt(doc, f).every((v) => v === undefined))
    )
      return [];
    let keys: unknown[][] = [[]];
    for (const vals of perField) {
      const unique =
        vals.length === 1
          ? vals
          : vals.filter((v, i) => vals.findIndex((w) => compareBson(v, w) === 0) === i);
      keys = keys.flatMap((k) => unique.map((v): unknown[] => [...k, v]));
    }
    return keys;
  }

  /** Probe for (key, id): '' as id finds the first entry of a key. */
  private static probe(key: unknown[], id: string): Probe<Entry> {
    return (e) => compareKeys(e.key, key) || (e.id < id ? -1 : e.id > id ? 1 : 0);
  }

  /** Throws the E11000 error when a unique key is already held by another document. */
  checkUnique(doc: Doc, id: string): void {
    if (!this.spec.unique) return;
    for (const key of this.keysOf(doc)) {
      for (const e of this.entries.from(this.entries.lowerBound(Index.probe(key, '')))) {
        if (compareKeys(e.key, key) !== 0) break;
        if (e.id !== id) {
          const keyValue: Doc = {};
          this.fields.forEach((f, j) => (keyValue[f] = key[j]));
          throw new DuplicateKeyError(this.ns, this.name, { ...this.spec.key }, keyValue);
        }
      }
    }
  }

  add(doc: Doc, id: string): void {
    this.addKeys(doc, this.keysOf(doc), id);
  }

  remove(doc: Doc, id: string): void {
    this.removeKeys(doc, this.keysOf(doc), id);
  }

  /**
   * Moves document `id` from its version `prev` to `next`. When its keys are the same values
   * of the same types (an update of fields this index does not cover: most updates, for most of
   * a collection's indexes) its entries stay as they are, sparing the searches and the moves.
   */
  replace(prev: Doc, next: Doc, id: string): void {
    const before = this.keysOf(prev);
    const after = this.keysOf(next);
    if (sameKeys(before, after) && this.holdsArray(prev) === this.holdsArray(next)) return;
    this.removeKeys(prev, before, id);
    this.addKeys(next, after, id);
  }

  private addKeys(doc: Doc, keys: unknown[][], id: string): void {
    if (keys.length && this.holdsArray(doc)) this.arrayDocs++;
    for (const key of keys) this.entries.insert({ key, id }, Index.probe(key, id));
  }

  private removeKeys(doc: Doc, keys: unknown[][], id: string): void {
    if (keys.length && this.holdsArray(doc)) this.arrayDocs--;
    for (const key of keys) {
      const at = this.entries.lowerBound(Index.probe(key, id));
      const e = this.entries.at(at);
      if (e && e.id === id && compareKeys(e.key, key) === 0) this.entries.removeAt(at);
    }
  }

  clear(): void {
    this.entries.clear();
    this.arrayDocs = 0;
  }

  /** Where a key range starts and ends (the end is the first position after it). */
  private span(r: KeyRange): { start: Position; end: Position } {
    const p = r.eq.length;
    const { low, high } = r;
    const start = this.entries.lowerBound((e) => {
      const c = comparePrefix(e.key, r.eq);
      if (c) return c;
      if (!low) return 1;
      const d = compareBson(e.key[p], low.value);
      return d < 0 || (d === 0 && !low.inclusive) ? -1 : 1;
    });
    const end = this.entries.lowerBound((e) => {
      const c = comparePrefix(e.key, r.eq);
      if (c) return c;
      if (!high) return -1;
      const d = compareBson(e.key[p], high.value);
      return d < 0 || (d === 0 && high.inclusive) ? -1 : 1;
    });
    return { start, end };
  }

  /** How many entries lie in the range: O(log n), whatever its length. */
  count(r: KeyRange): number {
    const { start, end } = this.span(r);
    return Math.max(0, this.entries.rank(end) - this.entries.rank(start));
  }

  /** The range's entries, ascending (key, then id), or descending. */
  *walk(r: KeyRange, descending = false): Generator<{ key: unknown[]; id: string }> {
    const { start, end } = this.span(r);
    let n = this.entries.rank(end) - this.entries.rank(start);
    if (n <= 0) return;
    for (const e of descending ? this.entries.before(end) : this.entries.from(start)) {
      yield e;
      if (--n === 0) return;
    }
  }

  /** Ids whose leading key lies in [low, high] (undefined bound = open; inclusive flags). */
  range(low: Bound | undefined, high: Bound | undefined): string[] {
    const out: string[] = [];
    for (const e of this.walk({ eq: [], low, high })) out.push(e.id);
    return out;
  }

  get size(): number {
    return this.entries.size;
  }
}

import { ObjectId } from 'bson';
import { compareBson, keyOf } from './bson-order.js';
import { badValue, CommandError, indexNotFound } from './errors.js';
import { Index, type IndexSpec } from './index-def.js';
import { cloneDoc, isPlainObject, type Doc } from './paths.js';
import { planIndex, sortDocs, type Filter } from './query.js';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export interface FindOptions {
  sort?: Doc;
  skip?: number;
  limit?: number;
}

const isIdScalar = (v: unknown) =>
  v !== undefined &&
  v !== null &&
  (typeof v !== 'object' || v instanceof ObjectId || v instanceof Date);

/** Map keys to look up for an `_id` condition, or null when it needs a scan. */
function idLookups(cond: unknown): string[] | null {
  if (isIdScalar(cond)) return [keyOf(cond)];
  if (!isPlainObject(cond)) return null;
  const ops = Object.keys(cond);
  if (ops.length === 1 && ops[0] === '$eq' && isIdScalar(cond.$eq)) return [keyOf(cond.$eq)];
  if (
    ops.length === 1 &&
    ops[0] === '$in' &&
    Array.isArray(cond.$in) &&
    (cond.$in as unknown[]).every(isIdScalar)
  )
    return (cond.$in as unknown[]).map(keyOf);
  return null;
}

/** One collection in memory: documents by `_id` plus secondary indexes. */
export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();
  /** Documents examined by the last find, for explain. */
  lastExamined = 0;
  lastPlan: string = 'COLLSCAN';

  constructor(
    readonly db: string,
    readonly name: string,
    /** Told whenever a document version or an index leaves memory (its bytes stay on disk until the next snapshot). */
    private readonly onErase: () => void = () => {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }

  /** Matching documents (not copies: callers must not mutate them). */
  find(filter: Filter, opts: FindOptions = {}): Doc[] {
    let candidates: Iterable<Doc>;
    const ids = idLookups(filter.spec._id);
    if (ids !== null) {
      // `_id` equality or `$in` (mongoose populate): direct lookups; the filter re-checks.
      const seen = new Set<string>();
      const found: Doc[] = [];
      for (const key of ids) {
        const doc = seen.has(key) ? undefined : this.docs.get(key);
        seen.add(key);
        if (doc) found.push(doc);
      }
      // mongod walks the _id index: results come in _id order.
      if (found.length > 1) found.sort((a, b) => compareBson(a._id, b._id));
      candidates = found;
      this.lastPlan = 'IDHACK';
    } else {
      const plan = planIndex(filter.spec, this.indexes.values());
      if (plan) {
        candidates = plan.ids.map((i) => this.docs.get(i)).filter((d): d is Doc => d !== undefined);
        this.lastPlan = `IXSCAN { ${plan.index.name} }`;
      } else {
        candidates = this.docs.values();
        this.lastPlan = 'COLLSCAN';
      }
    }
    let examined = 0;
    let out: Doc[] = [];
    const needAll = opts.sort !== undefined && Object.keys(opts.sort).length > 0;
    const stopAt = !needAll && opts.limit ? (opts.skip ?? 0) + opts.limit : Infinity;
    for (const doc of candidates) {
      examined++;
      if (filter.test(doc)) {
        out.push(doc);
        if (out.length >= stopAt) break;
      }
    }
    this.lastExamined = examined;
    if (needAll) out = sortDocs(out, opts.sort!);
    const skip = opts.skip ?? 0;
    if (skip || opts.limit) out = out.slice(skip, opts.limit ? skip + opts.limit : undefined);
    return out;
  }

  getById(id: unknown): Doc | undefined {
    return this.docs.get(keyOf(id));
  }

  /** Checks every unique index for `doc` (as document `id`); throws E11000 on a clash. */
  checkUnique(doc: Doc): void {
    const id = keyOf(doc._id);
    for (const index of this.indexes.values()) index.checkUnique(doc, id);
  }

  /** Adds a new document; `_id` must be unused (checked by the caller with E11000 on `_id_`). */
  add(doc: Doc): void {
    const id = keyOf(doc._id);
    this.docs.set(id, doc);
    for (const index of this.indexes.values()) index.add(doc, id);
  }

  remove(doc: Doc): void {
    const id = keyOf(doc._id);
    this.onErase();
    this.docs.delete(id);
    for (const index of this.indexes.values()) index.remove(doc, id);
  }

  /** Swaps a document for its new version, keeping every index in step. */
  replace(prev: Doc, next: Doc): void {
    this.remove(prev);
    this.add(next);
  }

  createIndex(spec: IndexSpec): boolean {
    const existing = [...this.indexes.values()].find(
      (i) => i.name === spec.name || JSON.stringify(i.spec.key) === JSON.stringify(spec.key),
    );
    if (existing) {
      const same = JSON.stringify({ ...existing.spec, v: 2 }) === JSON.stringify({ ...spec, v: 2 });
      if (same) return false;
      throw new CommandError(
        85,
        'IndexOptionsConflict',
        `An existing index has the same name or key pattern as the requested index: ${existing.name}`,
      );
    }
    const index = new Index(spec, this.ns);
    for (const [id, doc] of this.docs) {
      index.checkUnique(doc, id);
      index.add(doc, id);
    }
    this.indexes.set(spec.name, index);
    return true;
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw badValue('cannot drop _id index');
    if (!this.indexes.delete(name)) throw indexNotFound(`index not found with name [${name}]`);
    this.onErase();
  }

  /** Documents as they are, for a snapshot. */
  snapshot(): Doc[] {
    return [...this.docs.values()].map(cloneDoc);
  }
}

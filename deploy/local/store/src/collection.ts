import { ObjectId } from 'bson';
import { compareBson, keyOf } from './bson-order.js';
import { badValue, CommandError, indexNotFound } from './errors.js';
import { Index, type IndexSpec } from './index-def.js';
import { cloneDoc, isPlainObject, type Doc } from './paths.js';
import { exactConditions, planIndex, sortDocs, type Filter, type Plan } from './query.js';

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
    const skip = opts.skip ?? 0;
    const sortKeys = opts.sort ? Object.keys(opts.sort) : [];
    const needAll = sortKeys.length > 0;
    const ids = idLookups(filter.spec._id);
    let candidates: Iterable<Doc>;
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
      this.lastPlan = 'IDHACK';
      if (filter.idEquality) {
        // The lookup is the whole filter: nothing to test.
        this.lastExamined = found.length;
        return skip ? [] : found;
      }
      candidates = found;
    } else {
      const plan = planIndex(filter.spec, this.indexes.values());
      if (plan) {
        this.lastPlan = `IXSCAN { ${plan.index.name} }`;
        const ordered = sortKeys.length === 1 ? this.orderedWalk(plan, sortKeys[0]!) : null;
        if (ordered) {
          const dir = Number(opts.sort![sortKeys[0]!]);
          if (dir === 1 || dir === -1) return this.findInOrder(filter, plan, dir === -1, opts);
        }
        candidates = this.planDocs(plan);
      } else {
        candidates = this.docs.values();
        this.lastPlan = 'COLLSCAN';
      }
    }
    let examined = 0;
    let out: Doc[] = [];
    const stopAt = !needAll && opts.limit ? skip + opts.limit : Infinity;
    for (const doc of candidates) {
      examined++;
      if (filter.test(doc)) {
        out.push(doc);
        if (out.length >= stopAt) break;
      }
    }
    this.lastExamined = examined;
    if (needAll) out = sortDocs(out, opts.sort!);
    if (skip || opts.limit) out = out.slice(skip, opts.limit ? skip + opts.limit : undefined);
    return out;
  }

  /** The documents of a plan's ranges, in index order, each once. */
  private *planDocs(plan: Plan): Generator<Doc> {
    const seen = plan.ranges.length > 1 || plan.index.multikey ? new Set<string>() : null;
    for (const r of plan.ranges) {
      for (const e of plan.index.walk(r)) {
        if (seen) {
          if (seen.has(e.id)) continue;
          seen.add(e.id);
        }
        const doc = this.docs.get(e.id);
        if (doc) yield doc;
      }
    }
  }

  /**
   * Whether a sort on `field` is the plan's own index order: one range, no arrays in the index
   * (each document one entry, sorted by the value it sorts by), and `field` the component right
   * after the range's fixed prefix.
   */
  private orderedWalk(plan: Plan, field: string): boolean {
    return (
      plan.ranges.length === 1 &&
      !plan.index.multikey &&
      plan.index.fields[plan.ranges[0]!.eq.length] === field
    );
  }

  /**
   * A sorted find read in index order, stopping once skip + limit documents matched: a top 10
   * is ten entries read, not a sort of the whole range. The result is the one a sort of every
   * match would give: ascending, equal sort values keep index order; descending, the index is
   * read backwards and each run of equal sort values is put back in index order (as a stable
   * sort of the index-ordered matches leaves them).
   */
  private findInOrder(filter: Filter, plan: Plan, descending: boolean, opts: FindOptions): Doc[] {
    const range = plan.ranges[0]!;
    const p = range.eq.length;
    const skip = opts.skip ?? 0;
    const need = opts.limit ? skip + opts.limit : Infinity;
    const out: Doc[] = [];
    let run: Doc[] = [];
    let runKey: unknown;
    let examined = 0;
    const flush = () => {
      for (let i = run.length - 1; i >= 0; i--) out.push(run[i]!);
      run = [];
    };
    for (const e of plan.index.walk(range, descending)) {
      if (descending) {
        if (examined > 0 && compareBson(e.key[p], runKey) !== 0) {
          flush();
          if (out.length >= need) break;
        }
        runKey = e.key[p];
      }
      examined++;
      const doc = this.docs.get(e.id);
      if (!doc || !filter.test(doc)) continue;
      if (descending) run.push(doc);
      else {
        out.push(doc);
        if (out.length >= need) break;
      }
    }
    flush();
    this.lastExamined = examined;
    return skip || opts.limit ? out.slice(skip, opts.limit ? skip + opts.limit : undefined) : out;
  }

  /**
   * The number of documents `filter` matches, read from an index without touching a document
   * when every condition is exact (exactConditions) and the filter's fields are the leading
   * fields of a complete index that is not multikey, all but the last of them single points:
   * `{ k: { $gte: a, $lt: b } }` on `{ k: 1 }` (the leaderboards' "how many rank above me"),
   * `{ memberId: m, read: false }` on `{ memberId: 1, read: 1 }`. Null when documents must be tested.
   */
  countFast(filter: Filter): number | null {
    const conditions = exactConditions(filter.spec);
    if (!conditions) return null;
    const n = conditions.size;
    if (n === 0) return this.docs.size;
    for (const index of this.indexes.values()) {
      if (!index.complete || index.multikey || index.fields.length < n) continue;
      const fields = index.fields.slice(0, n);
      if (!fields.every((f) => conditions.has(f))) continue;
      const eq: unknown[] = [];
      let usable = true;
      for (const f of fields.slice(0, -1)) {
        const [only, ...more] = conditions.get(f)!;
        const isPoint =
          only !== undefined &&
          more.length === 0 &&
          only.low!.inclusive &&
          only.high!.inclusive &&
          compareBson(only.low!.value, only.high!.value) === 0;
        if (!isPoint) {
          usable = false;
          break;
        }
        eq.push(only.low!.value);
      }
      if (!usable) continue;
      let count = 0;
      for (const r of conditions.get(fields[n - 1]!)!) count += index.count({ ...r, eq });
      return count;
    }
    return null;
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
    const id = keyOf(prev._id);
    if (keyOf(next._id) !== id) {
      // An `_id` equal in value but not in key (1 and Long(1)): as a removal and an insertion.
      this.remove(prev);
      this.add(next);
      return;
    }
    this.onErase();
    // Deleted and set again, not overwritten: the new version goes last in natural order, as before.
    this.docs.delete(id);
    this.docs.set(id, next);
    for (const index of this.indexes.values()) index.replace(prev, next, id);
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

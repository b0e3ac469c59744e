import { Collection } from './collection.js';
import { namespaceExists } from './errors.js';
import { validateIndexSpec } from './index-def.js';
import type { JournalRecord } from './journal.js';
import { rememberBson, storedBson } from './stored-bson.js';

/** Every database and collection in memory; replays and produces journal records. */
export class Catalog {
  readonly dbs = new Map<string, Map<string, Collection>>();
  /**
   * Set when a document was deleted or overwritten, or a collection or index dropped, since the
   * last captured snapshot: the journal on disk still holds what was removed.
   */
  erased = false;

  get(db: string, coll: string): Collection | undefined {
    return this.dbs.get(db)?.get(coll);
  }

  /** Returns the collection, creating it (and the record to journal) when missing. */
  ensure(db: string, coll: string, records: JournalRecord[]): Collection {
    const existing = this.get(db, coll);
    if (existing) return existing;
    if (!/^[^$\0]+$/.test(coll) || coll.length > 255)
      throw namespaceExists(`invalid collection name '${coll}'`);
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map<string, Collection>()));
    const c = new Collection(db, coll, () => (this.erased = true));
    colls.set(coll, c);
    records.push({ op: 'createColl', db, coll });
    return c;
  }

  drop(db: string, coll: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(coll)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    this.erased = true;
    return true;
  }

  /** Applies a journal record during recovery (records were valid when written). */
  replay(r: JournalRecord): void {
    const sink: JournalRecord[] = [];
    switch (r.op) {
      case 'createColl':
        this.ensure(r.db, r.coll, sink);
        break;
      case 'dropColl':
        this.drop(r.db, r.coll);
        break;
      case 'createIndex':
        this.ensure(r.db, r.coll, sink).createIndex(validateIndexSpec(r.spec));
        break;
      case 'dropIndex':
        if (this.get(r.db, r.coll)?.indexes.delete(r.name)) this.erased = true;
        break;
      case 'put': {
        const c = this.ensure(r.db, r.coll, sink);
        const prev = c.getById(r.doc._id);
        if (prev) c.replace(prev, r.doc);
        else c.add(r.doc);
        if (r.bson) rememberBson(r.doc, r.bson);
        break;
      }
      case 'del': {
        const c = this.get(r.db, r.coll);
        const prev = c?.getById(r.id);
        if (c && prev) c.remove(prev);
        break;
      }
      case 'end':
        break;
    }
  }

  /** The whole state for a snapshot; from now on only later removals are pending on disk. */
  captureState(): JournalRecord[] {
    this.erased = false;
    return [...this.stateRecords()];
  }

  /** The whole state as records, for a snapshot. */
  private *stateRecords(): Generator<JournalRecord> {
    for (const [db, colls] of this.dbs) {
      for (const [coll, c] of colls) {
        yield { op: 'createColl', db, coll };
        for (const index of c.indexes.values())
          yield { op: 'createIndex', db, coll, spec: { ...index.spec } };
        for (const doc of c.docs.values()) {
          const bson = storedBson(doc);
          yield bson ? { op: 'put', db, coll, doc, bson } : { op: 'put', db, coll, doc };
        }
      }
    }
  }
}

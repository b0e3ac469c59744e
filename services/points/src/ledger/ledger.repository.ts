import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import { ENTRY_COLLECTION, entrySchema, type EntryDoc } from './entry.schema.js';

let counter = 0;
/** A history cursor: ms × 1000 + a counter, so a process's entries of one ms keep their order. */
export function nextSeq(at: Date): number {
  counter = (counter + 1) % 1000;
  return Math.max(at.getTime(), Date.now()) * 1000 + counter;
}

/** The append-only ledger. */
@Injectable()
export class LedgerRepository {
  readonly model: Model<EntryDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<EntryDoc>('Entry', entrySchema, ENTRY_COLLECTION);
    this.indexed = indexesReady(this.model);
  }

  /** Appends `entry`; when its key exists, the entry already there (nothing written). */
  async append(entry: EntryDoc): Promise<{ created: boolean; entry: EntryDoc }> {
    await this.indexed;
    try {
      await this.model.create(entry);
      return { created: true, entry };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.get(entry._id);
      if (!existing) throw err;
      return { created: false, entry: existing };
    }
  }

  /**
   * Appends many entries in one unordered insert: each one whose key exists (a redelivery, or the
   * same award twice in the batch) is skipped, not failed, and answered with the entry stored.
   */
  async appendMany(
    entries: readonly EntryDoc[],
  ): Promise<Array<{ created: boolean; entry: EntryDoc }>> {
    if (entries.length === 0) return [];
    await this.indexed;
    let duplicates: number[] = [];
    try {
      // The driver's insert: the entries are complete already, and its unordered error lists
      // each refused index (the driver types `_id` as an ObjectId; ours are keys).
      await this.model.collection.insertMany(
        entries.map((e) => ({ ...e, balanceAfter: e.balanceAfter ?? null })) as never[],
        { ordered: false },
      );
    } catch (err) {
      duplicates = duplicateIndexes(err, entries.length);
    }
    const stored =
      duplicates.length === 0
        ? new Map<string, EntryDoc>()
        : await this.getMany(duplicates.map((i) => entries[i]?._id ?? ''));
    const dup = new Set(duplicates);
    return entries.map((entry, i) => {
      if (!dup.has(i)) return { created: true, entry };
      const existing = stored.get(entry._id);
      if (!existing) throw new Error(`entry ${entry._id} refused as a duplicate, yet not found`);
      return { created: false, entry: existing };
    });
  }

  async getMany(keys: readonly string[]): Promise<Map<string, EntryDoc>> {
    const docs = await this.model
      .find({ _id: { $in: [...new Set(keys)] } })
      .lean<EntryDoc[]>()
      .exec();
    return new Map(docs.map((d) => [d._id, d]));
  }

  get(key: string): Promise<EntryDoc | null> {
    return this.model.findById(key).lean<EntryDoc>().exec();
  }

  /** The member's entries, newest first, before a cursor. */
  page(
    memberId: string,
    opts: {
      before?: number | undefined;
      limit: number;
      rule?: string | undefined;
      sign?: 'award' | 'debit' | undefined;
    },
  ): Promise<EntryDoc[]> {
    const filter: Record<string, unknown> = { memberId };
    if (opts.before !== undefined) filter['seq'] = { $lt: opts.before };
    if (opts.rule) filter['rule'] = opts.rule;
    if (opts.sign === 'award') filter['points'] = { $gt: 0 };
    if (opts.sign === 'debit') filter['points'] = { $lt: 0 };
    return this.model.find(filter).sort({ seq: -1 }).limit(opts.limit).lean<EntryDoc[]>().exec();
  }

  /**
   * Every member's ledger sum (the rebuild), and this month's: one pass over the ledger with a
   * cursor (a batch job; the store's aggregation adds nothing here).
   */
  async sums(month: string): Promise<Map<string, { total: number; month: number }>> {
    const out = new Map<string, { total: number; month: number }>();
    const cursor = this.model
      .find({}, { memberId: 1, points: 1, month: 1 })
      .lean<Array<Pick<EntryDoc, 'memberId' | 'points' | 'month'>>>()
      .cursor({ batchSize: 1000 });
    for await (const e of cursor) {
      const row = out.get(e.memberId) ?? { total: 0, month: 0 };
      row.total += e.points;
      if (e.month === month) row.month += e.points;
      out.set(e.memberId, row);
    }
    return out;
  }

  /** Entries of a rule since a time (the abuse report). */
  since(rule: string, since: Date): Promise<EntryDoc[]> {
    return this.model
      .find({ at: { $gte: since }, rule })
      .lean<EntryDoc[]>()
      .exec();
  }
}

/** The indexes an unordered insert refused as duplicate keys; rethrows any other failure. */
function duplicateIndexes(err: unknown, count: number): number[] {
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : isDuplicateKey(err) ? [err] : [];
  const out: number[] = [];
  for (const w of list as Array<{ index?: number; code?: number }>) {
    if (w.code !== 11000 || w.index === undefined || w.index >= count) throw err;
    out.push(w.index);
  }
  if (out.length === 0) throw err;
  return out;
}

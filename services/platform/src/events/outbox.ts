import type {
  AnyBulkWriteOperation,
  Model,
  ProjectionType,
  QueryFilter,
  UpdateQuery,
} from 'mongoose';
import { outboxEntries, type OutboxEntry } from './outbox-entry.js';
import type { OutboxRelay } from './outbox-relay.js';
import type { PendingEvent } from './pending-event.js';

/** A document that carries its own unpublished events. */
export interface WithOutbox {
  outbox: OutboxEntry[];
}

/**
 * The one way a repository writes a state change together with its events: `Outbox.for(model)` once
 * (in the repository's constructor) registers the model with the relay, so entries a crash left
 * behind are published too, and returns the writer whose every write carries its events.
 */
export class Outbox {
  constructor(private readonly relay: OutboxRelay) {}

  for<T extends WithOutbox>(model: Model<T>): OutboxWriter<T> {
    if (!model.schema.path('outbox')) {
      throw new Error(
        `${model.modelName} has no outbox: add \`outbox: outboxSchemaField\` to its schema`,
      );
    }
    this.relay.register(model);
    return new OutboxWriter(model, this.relay);
  }
}

export interface OutboxInsertOptions {
  /**
   * The document is complete as stored — every field, its `_id`, values of the schema's types
   * (ObjectIds, Dates): the driver writes it as given, without mongoose's defaults, casting and
   * validation (the cost of a document built per insert). For a hot path's repository only.
   */
  complete?: boolean;
}

export interface OutboxUpdateOptions<T> {
  /** What the returned document holds; the outbox itself is left out by default. */
  projection?: ProjectionType<T>;
}

/** One write of `OutboxWriter.bulk`: an insert or a conditional update, each with its events. */
export type OutboxBulkWrite<T> =
  | { insert: Omit<Partial<T>, 'outbox'>; events: readonly PendingEvent[]; occurredAt: Date }
  | {
      filter: QueryFilter<T>;
      update: UpdateQuery<T>;
      events: readonly PendingEvent[];
      occurredAt: Date;
    };

/** What `bulk` did: which inserts were refused as duplicate keys, how many updates matched. */
export interface OutboxBulkResult {
  duplicates: ReadonlySet<number>;
  matched: number;
}

/**
 * Single-document writes only: the state and its events are atomic because they are one document
 * (no multi-document transactions, see DESIGN "Storage"). After a write its entries are handed to
 * the relay, which publishes them at once rather than at its next poll.
 */
export class OutboxWriter<T extends WithOutbox> {
  constructor(
    private readonly model: Model<T>,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Inserts `doc` with `events` (occurring at `occurredAt`) in its outbox. Errors reach the caller
   * unchanged (a duplicate key among them: see `isDuplicateKey`); nothing is written then.
   */
  async insert(
    doc: Omit<Partial<T>, 'outbox'>,
    events: readonly PendingEvent[],
    occurredAt: Date,
    options: OutboxInsertOptions = {},
  ): Promise<void> {
    if ('outbox' in doc) throw new Error('pass the events, not an outbox');
    // TypeScript cannot see that a generic Omit<T, 'outbox'> plus `outbox` is a Partial<T>.
    const outbox = outboxEntries(events, occurredAt);
    const full = { ...doc, outbox } as Partial<T>;
    let id: unknown;
    if (options.complete) {
      if (!('_id' in doc)) throw new Error('a complete document carries its _id');
      await this.model.collection.insertOne(full);
      id = doc._id;
    } else id = (await this.model.create(full))._id;
    this.relay.handOver(this.model, id, outbox);
  }

  /**
   * Applies `update` to the one document matching `filter` and appends `events` in the same write.
   * Returns the document after the write, or null when nothing matched (then nothing was written and
   * no event exists) — a conditional filter (`{ _id, rev }`) makes this optimistic concurrency.
   */
  async update(
    filter: QueryFilter<T>,
    update: UpdateQuery<T>,
    events: readonly PendingEvent[],
    occurredAt: Date,
    options: OutboxUpdateOptions<T> = {},
  ): Promise<T | null> {
    if (Array.isArray(update)) {
      throw new Error('an aggregation-pipeline update cannot carry events: use update operators');
    }
    if (touchesOutbox(update)) {
      throw new Error('the outbox is written by OutboxWriter and pulled by the relay only');
    }
    const push = (update.$push ?? {}) as Record<string, unknown>;
    const outbox = outboxEntries(events, occurredAt);
    const write: UpdateQuery<T> =
      events.length > 0 ? { ...update, $push: { ...push, outbox: { $each: outbox } } } : update;
    const doc = await this.model
      .findOneAndUpdate(filter, write, {
        returnDocument: 'after',
        projection: options.projection ?? { outbox: 0 },
      })
      .lean<T>()
      .exec();
    if (doc) this.relay.handOver(this.model, (doc as { _id?: unknown })._id, outbox);
    return doc;
  }

  /**
   * Many `insert`s and `update`s in one round trip, unordered: each is still atomic on its one
   * document with its events, and one refused (a duplicate key, a filter that no longer matches)
   * does not stop the others. An update reports no match of its own (the store answers with a
   * count), so a caller with conditional filters reads back to tell which matched when `matched`
   * falls short. Documents and updates go to the driver as given, like `insert`'s `complete`: in
   * their stored types, without mongoose's casting (the cost of a batch's writes otherwise).
   */
  async bulk(writes: readonly OutboxBulkWrite<T>[]): Promise<OutboxBulkResult> {
    if (writes.length === 0) return { duplicates: new Set(), matched: 0 };
    const entries = writes.map((w) => outboxEntries(w.events, w.occurredAt));
    // Typed loosely: mongoose's bulk types resolve T through a conditional a generic cannot pass.
    const ops = writes.map((w, i): AnyBulkWriteOperation => {
      const outbox = entries[i] ?? [];
      if ('insert' in w) {
        if ('outbox' in w.insert) throw new Error('pass the events, not an outbox');
        const document = { ...w.insert, outbox };
        return { insertOne: { document } };
      }
      if (Array.isArray(w.update) || touchesOutbox(w.update))
        throw new Error('the outbox is written by OutboxWriter and pulled by the relay only');
      const push = (w.update.$push ?? {}) as Record<string, unknown>;
      const update =
        w.events.length > 0
          ? { ...w.update, $push: { ...push, outbox: { $each: outbox } } }
          : w.update;
      return { updateOne: { filter: w.filter, update } };
    });
    let result: OutboxBulkResult;
    try {
      const res = await this.model.collection.bulkWrite(ops as never, { ordered: false });
      result = { duplicates: new Set(), matched: res.matchedCount };
    } catch (err) {
      const failed = duplicateIndexes(err);
      if (!failed) throw err;
      result = failed;
    }
    this.handOverBulk(writes, entries, result);
    return result;
  }

  /**
   * Hands over only what surely landed: each insert not refused, and the updates only when every
   * one matched (the store answers a count, not which) — an event of a write that lost its race must
   * never go out. Anything else, or a document whose `_id` is not known here, is left to a scan.
   */
  private handOverBulk(
    writes: readonly OutboxBulkWrite<T>[],
    entries: readonly OutboxEntry[][],
    result: OutboxBulkResult,
  ): void {
    const updates = writes.filter((w) => !('insert' in w)).length;
    const allMatched = result.matched === updates;
    let scan = false;
    writes.forEach((w, i) => {
      const outbox = entries[i] ?? [];
      if (outbox.length === 0) return;
      if ('insert' in w) {
        if (result.duplicates.has(i)) return;
        const id = plainId((w.insert as { _id?: unknown })._id);
        if (id === undefined) scan = true;
        else this.relay.handOver(this.model, id, outbox);
        return;
      }
      const id = plainId((w.filter as { _id?: unknown })._id);
      if (!allMatched || id === undefined) scan = true;
      else this.relay.handOver(this.model, id, outbox);
    });
    if (scan) this.relay.poke();
  }
}

/** A document id as a filter or document names it: a string, a number or an ObjectId, not a condition. */
function plainId(id: unknown): unknown {
  if (typeof id === 'string' || typeof id === 'number') return id;
  if (
    typeof id === 'object' &&
    id !== null &&
    (id as { _bsontype?: unknown })._bsontype === 'ObjectId'
  )
    return id;
  return undefined;
}

/** The inserts a bulk write refused as duplicate keys, when that is all it refused. */
function duplicateIndexes(err: unknown): OutboxBulkResult | undefined {
  const e = err as {
    writeErrors?: Array<{ index: number; code: number }>;
    result?: { matchedCount?: number };
  };
  const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : undefined;
  if (!writeErrors || !writeErrors.every((w) => w.code === 11000)) return undefined;
  return {
    duplicates: new Set(writeErrors.map((w) => w.index)),
    matched: e.result?.matchedCount ?? 0,
  };
}

/** Whether an update names `outbox` itself or under any operator (`$set`, `$unset`, `$pull` ...). */
function touchesOutbox(update: Record<string, unknown>): boolean {
  return Object.entries(update).some(
    ([key, value]) =>
      key === 'outbox' ||
      (key.startsWith('$') &&
        typeof value === 'object' &&
        value !== null &&
        Object.keys(value).some((path) => path === 'outbox' || path.startsWith('outbox.'))),
  );
}

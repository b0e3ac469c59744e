import { Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { MongoService } from '@agora/platform';
import { newBatchId, stampOf } from '../balances/balance-moves.repository.js';

/**
 * The keys of a batch of awards on their way from the ledger into the balances, written before
 * the entries and dropped once the balances hold them all: one small document per batch instead
 * of a second write of every entry. An entry is still on its way exactly while an intent names it.
 */
export interface ApplyIntentDoc {
  /** A batch id (newBatchId): its time first, so intents sort by age. */
  _id: string;
  keys: string[];
}

export const APPLY_INTENT_COLLECTION = 'apply_intents';

@Injectable()
export class ApplyIntentsRepository {
  // The driver's collection: a hot path, and the documents are complete as written.
  private readonly collection: Promise<mongo.Collection<ApplyIntentDoc>>;

  constructor(mongo: MongoService) {
    this.collection = mongo.ready().then((c) => {
      if (!c.db) throw new Error('the store connection has no database');
      return c.db.collection<ApplyIntentDoc>(APPLY_INTENT_COLLECTION);
    });
    // Marks the promise handled; each use still sees a failure.
    this.collection.catch(() => undefined);
  }

  /** Records that `keys` are about to be appended and applied; returns the intent's id. */
  async open(keys: readonly string[]): Promise<string> {
    const _id = newBatchId();
    await (await this.collection).insertOne({ _id, keys: [...keys] });
    return _id;
  }

  /** The balances hold every entry of these intents. */
  async close(ids: readonly string[]): Promise<void> {
    await (await this.collection).deleteMany({ _id: { $in: [...new Set(ids)] } });
  }

  /** Which of `keys` an intent other than `except` names: entries still on their way. */
  async held(keys: readonly string[], except: string | null): Promise<Set<string>> {
    const wanted = new Set(keys);
    const filter = { keys: { $in: [...wanted] }, ...(except ? { _id: { $ne: except } } : {}) };
    const docs = await (await this.collection).find(filter).toArray();
    return new Set(docs.flatMap((d) => d.keys.filter((k) => wanted.has(k))));
  }

  /** Intents older than `ageMs` (a crash left them; a live writer closes its own long before). */
  async abandoned(ageMs: number, limit: number): Promise<ApplyIntentDoc[]> {
    return (await this.collection)
      .find({ _id: { $lt: stampOf(Date.now() - ageMs) } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
  }
}

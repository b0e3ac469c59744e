import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { MongoService, indexesReady } from '@agora/platform';
import { THROTTLE_COLLECTION, throttleSchema, type ThrottleDoc } from './throttle.schema.js';

export interface ThrottleState {
  key: string;
  failures: number;
  lockedUntil: Date | null;
}

/**
 * The stored id of a key: its sha256, so the collection holds no address (`account:<email>`,
 * `ip:<address>`) — nothing of an erased account is left in it, whoever fails to sign in as them
 * later. Not a secret from someone who guesses the address; it need not be one.
 */
function storedId(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Failure counters for login throttling, by key (stored hashed). */
@Injectable()
export class ThrottleRepository {
  private readonly model: Model<ThrottleDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<ThrottleDoc>(
      'LoginThrottle',
      throttleSchema,
      THROTTLE_COLLECTION,
    );
    this.indexed = indexesReady(this.model);
  }

  /** Current state of the keys (absent or expired keys count as clean). */
  async states(keys: readonly string[], now: Date): Promise<ThrottleState[]> {
    const byId = new Map(keys.map((key) => [storedId(key), key]));
    const docs = await this.model
      .find({ _id: { $in: [...byId.keys()] }, expiresAt: { $gt: now } })
      .lean<ThrottleDoc[]>()
      .exec();
    return docs.map((d) => ({
      key: byId.get(d._id) ?? d._id,
      failures: d.failures,
      lockedUntil: d.lockedUntil ?? null,
    }));
  }

  /** Counts one more failure atomically and returns the new count. */
  async addFailure(key: string, now: Date, expiresAt: Date): Promise<number> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: storedId(key) },
        { $inc: { failures: 1 }, $set: { lastFailureAt: now, expiresAt } },
        { upsert: true, returnDocument: 'after' },
      )
      .lean<ThrottleDoc>()
      .exec();
    return doc?.failures ?? 1;
  }

  async lock(key: string, until: Date, expiresAt: Date): Promise<void> {
    await this.model
      .updateOne({ _id: storedId(key) }, { $set: { lockedUntil: until, expiresAt } })
      .exec();
  }

  async clear(key: string): Promise<void> {
    await this.model.deleteOne({ _id: storedId(key) }).exec();
  }
}

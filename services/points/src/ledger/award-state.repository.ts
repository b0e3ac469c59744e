import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import {
  capSchema,
  standingSchema,
  tombstoneSchema,
  unitSchema,
  type CapDoc,
  type StandingDoc,
  type TombstoneDoc,
  type UnitDoc,
} from './award-state.schema.js';

/** The award kinds' bookkeeping beside the ledger; every write idempotent by its key. */
@Injectable()
export class AwardStateRepository {
  private readonly caps: Model<CapDoc>;
  readonly units: Model<UnitDoc>;
  private readonly standing: Model<StandingDoc>;
  private readonly tombstones: Model<TombstoneDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    const c = mongo.connection;
    this.caps = c.model<CapDoc>('Cap', capSchema);
    this.units = c.model<UnitDoc>('Unit', unitSchema);
    this.standing = c.model<StandingDoc>('Standing', standingSchema);
    this.tombstones = c.model<TombstoneDoc>('Tombstone', tombstoneSchema);
    this.indexed = Promise.all(
      [this.caps, this.units, this.standing, this.tombstones].map((m) => indexesReady(m)),
    ).then(() => undefined);
  }

  /**
   * Takes one of `cap` slots of `capId` for `key`; true when taken now or earlier by the same key
   * (a redelivery), false when the cap is reached.
   */
  async takeSlot(capId: string, key: string, cap: number): Promise<boolean> {
    await this.indexed;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const taken = await this.caps
        .findOneAndUpdate(
          { _id: capId, n: { $lt: cap }, keys: { $ne: key } },
          { $inc: { n: 1 }, $push: { keys: key } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<CapDoc>()
        .exec()
        .catch((err: unknown) => {
          if (isDuplicateKey(err)) return null;
          throw err;
        });
      if (taken) return true;
      const doc = await this.caps.findById(capId).lean<CapDoc>().exec();
      if (doc) return doc.keys.includes(key);
    }
    return false;
  }

  /** Counts a unit once; returns how many units the member has for the rule. */
  async countUnit(unit: UnitDoc): Promise<number> {
    await this.indexed;
    try {
      await this.units.create(unit);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    return this.units.countDocuments({ memberId: unit.memberId, rule: unit.rule }).exec();
  }

  /** Records a state event unless a later one (by time, then id) is already recorded. */
  async recordState(id: string, stands: boolean, at: Date, eventId: string): Promise<void> {
    await this.indexed;
    await this.standing
      .updateOne(
        { _id: id, $or: [{ lastAt: { $lt: at } }, { lastAt: at, lastId: { $lt: eventId } }] },
        { $set: { stands, lastAt: at, lastId: eventId }, $setOnInsert: { t: 0 } },
        { upsert: true },
      )
      .exec()
      .catch((err: unknown) => {
        // The document exists with a later event: this one changes nothing.
        if (!isDuplicateKey(err)) throw err;
      });
  }

  state(id: string): Promise<StandingDoc | null> {
    return this.standing.findById(id).lean<StandingDoc>().exec();
  }

  /** Moves the transition count from `t` to `t + 1` (no-op if another handler did). */
  async advance(id: string, t: number): Promise<void> {
    await this.standing.updateOne({ _id: id, t }, { $set: { t: t + 1 } }).exec();
  }

  async bury(id: string, at: Date): Promise<void> {
    await this.indexed;
    try {
      await this.tombstones.create({ _id: id, at });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async buried(id: string): Promise<boolean> {
    return (await this.tombstones.exists({ _id: id }).exec()) !== null;
  }

  /** Units received in a window, by member: many from few is a burst. */
  unitsSince(since: Date): Promise<UnitDoc[]> {
    return this.units
      .find({ at: { $gte: since } })
      .lean<UnitDoc[]>()
      .exec();
  }
}

import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import { oid } from '../common/object-id.js';
import { REMINDER_COLLECTION, reminderSchema, type ReminderDoc } from './reminder.schema.js';

/** Start-time reminders of sessions and workshops: all their I/O. */
@Injectable()
export class ReminderRepository {
  private readonly model: Model<ReminderDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<ReminderDoc>(
      'NotifyReminder',
      reminderSchema,
      REMINDER_COLLECTION,
    );
    this.indexed = indexesReady(this.model);
  }

  /** Records a (new) start time, unless a later scheduled event was recorded already. */
  async schedule(
    spaceId: string,
    kind: ReminderDoc['kind'],
    startsAt: Date,
    remindAt: Date,
    asOf: Date,
  ): Promise<void> {
    await this.indexed;
    const res = await this.model
      .updateOne(
        { spaceId: oid(spaceId), asOf: { $lte: asOf } },
        { $set: { kind, startsAt, remindAt, asOf } },
      )
      .exec();
    if (res.matchedCount > 0) return;
    try {
      await this.model.create({
        spaceId: oid(spaceId),
        kind,
        startsAt,
        remindAt,
        remindedFor: null,
        asOf,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** Reminders due at `now` whose start is still ahead and not reminded for it yet. */
  due(now: Date, limit: number): Promise<ReminderDoc[]> {
    return this.model
      .find({ remindAt: { $lte: now }, startsAt: { $gt: now } })
      .sort({ remindAt: 1 })
      .limit(limit * 4)
      .lean<ReminderDoc[]>()
      .exec()
      .then((docs) =>
        docs.filter((d) => d.remindedFor?.getTime() !== d.startsAt.getTime()).slice(0, limit),
      );
  }

  /** Marks it reminded for this start time (members were notified first, idempotently). */
  async markReminded(id: ReminderDoc['_id'], startsAt: Date): Promise<void> {
    await this.model.updateOne({ _id: id, startsAt }, { $set: { remindedFor: startsAt } }).exec();
  }
}

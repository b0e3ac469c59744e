import { Injectable } from '@nestjs/common';
import { Types, type Model } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import {
  DAILY_LOGIN_COLLECTION,
  dailyLoginSchema,
  type DailyLoginDoc,
} from './daily-login.schema.js';

/** Days a member signed in; the unique (memberId, day) index makes each day count once. */
@Injectable()
export class DailyLoginRepository {
  private readonly model: Model<DailyLoginDoc>;
  /** The day with its event. */
  private readonly writes: OutboxWriter<DailyLoginDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<DailyLoginDoc>(
      'DailyLogin',
      dailyLoginSchema,
      DAILY_LOGIN_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  /** Records the day with its event in one insert; false when the day was already recorded. */
  async record(
    memberId: string,
    day: string,
    timeZone: string,
    at: Date,
    event: PendingEvent,
  ): Promise<boolean> {
    await this.indexed;
    try {
      await this.writes.insert(
        { memberId: new Types.ObjectId(memberId), day, timeZone, createdAt: at },
        [event],
        at,
      );
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    return true;
  }

  async days(memberId: string): Promise<string[]> {
    const docs = await this.model
      .find({ memberId: new Types.ObjectId(memberId) }, { day: 1 })
      .sort({ day: 1 })
      .lean<Pick<DailyLoginDoc, 'day'>[]>()
      .exec();
    return docs.map((d) => d.day);
  }

  /** Erases a deleted member's days, except those whose event is still waiting to be published. */
  async deleteForMember(memberId: string): Promise<void> {
    await this.model
      .deleteMany({ memberId: new Types.ObjectId(memberId), outbox: { $size: 0 } })
      .exec();
  }
}

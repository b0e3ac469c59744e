import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';

/** One document per member and calendar day signed in; its outbox carries `daily-login.recorded`. */
export interface DailyLoginDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  /** `YYYY-MM-DD` in `timeZone`. */
  day: string;
  timeZone: string;
  createdAt: Date;
  /** Events not yet published (platform outbox relay). */
  outbox: OutboxEntry[];
}

export const DAILY_LOGIN_COLLECTION = 'daily_logins';

export const dailyLoginSchema = new Schema<DailyLoginDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    timeZone: { type: String, required: true },
    createdAt: { type: Date, required: true },
    outbox: outboxSchemaField,
  },
  { collection: DAILY_LOGIN_COLLECTION, versionKey: false },
);

// exactly once per member and day (the upsert that records a sign-in); export lists a member's days.
dailyLoginSchema.index({ memberId: 1, day: 1 }, { unique: true });
// outbox relay: documents with unpublished events.
dailyLoginSchema.index({ 'outbox._id': 1 });

import { Schema, Types } from 'mongoose';

/**
 * A member's calendar feed. Only the token's SHA-256 is kept: the token itself is derived from the
 * key and the generation when the member asks for it, so a copy of this collection opens no feed.
 */
export interface CalendarFeedDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  /** Bumped by a reset: the token derived from the old one no longer matches `tokenHash`. */
  generation: number;
  tokenHash: string;
  createdAt: Date;
  updatedAt: Date;
}

export const CALENDAR_FEED_COLLECTION = 'calendar_feeds';

export const calendarFeedSchema = new Schema<CalendarFeedDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    generation: { type: Number, required: true },
    tokenHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: CALENDAR_FEED_COLLECTION, versionKey: false },
);

// one feed per member (`calendar.info`, `calendar.reset`).
calendarFeedSchema.index({ memberId: 1 }, { unique: true });
// `GET /api/calendar/<token>.ics`: the feed whose token hashes to this.
calendarFeedSchema.index({ tokenHash: 1 }, { unique: true });

/** The key tokens are derived with, when `CALENDAR_TOKEN_KEY` is not set (one document). */
export interface CalendarKeyDoc {
  _id: string;
  key: string;
}

export const CALENDAR_KEY_COLLECTION = 'calendar_keys';

export const calendarKeySchema = new Schema<CalendarKeyDoc>(
  { _id: { type: String, required: true }, key: { type: String, required: true } },
  { collection: CALENDAR_KEY_COLLECTION, versionKey: false },
);

import { Schema, Types } from 'mongoose';

/**
 * A session or workshop that starts at `startsAt`: its members are reminded from `remindAt` on,
 * once per start time (`remindedFor`); a new start time is reminded again. Kept in the database, so
 * a restart loses none.
 */
export interface ReminderDoc {
  _id: Types.ObjectId;
  /** The session's or workshop's space id. */
  spaceId: Types.ObjectId;
  kind: 'session' | 'workshop';
  startsAt: Date;
  remindAt: Date;
  remindedFor: Date | null;
  /** When the scheduled event that set `startsAt` occurred (a late older one is ignored). */
  asOf: Date;
}

export const REMINDER_COLLECTION = 'notify_reminders';

export const reminderSchema = new Schema<ReminderDoc>(
  {
    spaceId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    startsAt: { type: Date, required: true },
    remindAt: { type: Date, required: true },
    remindedFor: { type: Date, default: null },
    asOf: { type: Date, required: true },
  },
  { collection: REMINDER_COLLECTION, versionKey: false },
);

// one reminder per space.
reminderSchema.index({ spaceId: 1 }, { unique: true });
// the sweep: reminders due.
reminderSchema.index({ remindAt: 1 });

import { Schema, Types } from 'mongoose';

/** One member's digest of one UTC day: the unique key that makes it at most one a day. */
export interface DigestDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  day: string;
  status: 'sending' | 'sent';
  /** Unread notifications it told of (raised after the previous digest). */
  total: number;
  createdAt: Date;
  sentAt: Date | null;
}

export const DIGEST_COLLECTION = 'notification_digests';

export const digestSchema = new Schema<DigestDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    status: { type: String, required: true },
    total: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { collection: DIGEST_COLLECTION, versionKey: false },
);

// at most one digest per member and day; a member's latest digest.
digestSchema.index({ memberId: 1, day: 1 }, { unique: true });

import { Schema } from 'mongoose';

/**
 * Which compactor works on a doc (`_id` is the doc name) until when. Taken with one conditional
 * upsert: free, lapsed, or already the taker's; a second taker hits the `_id` and is refused.
 */
export interface CompactionLeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

export const COMPACTION_LEASE_COLLECTION = 'compaction_leases';

export const compactionLeaseSchema = new Schema<CompactionLeaseDoc>(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { collection: COMPACTION_LEASE_COLLECTION, versionKey: false },
);
// cleanup: a lease a crashed compactor left is removed a day after it lapsed (takers find leases by `_id`).
compactionLeaseSchema.index({ until: 1 }, { expireAfterSeconds: 86_400 });

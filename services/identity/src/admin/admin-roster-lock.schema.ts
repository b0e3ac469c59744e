import { Schema } from 'mongoose';

/** A lease on the admin roster, held by one role change or admin account deletion at a time. */
export interface AdminRosterLockDoc {
  _id: string;
  /** Random per acquisition: only the holder releases it. */
  token: string;
  /** A holder that crashed lets go at this moment. */
  until: Date;
}

export const ADMIN_ROSTER_LOCK_COLLECTION = 'locks';
export const ADMIN_ROSTER_LOCK_ID = 'admin-roster';

// (lookups are by _id; its built-in unique index makes acquiring race-free)
export const adminRosterLockSchema = new Schema<AdminRosterLockDoc>(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { collection: ADMIN_ROSTER_LOCK_COLLECTION, versionKey: false },
);

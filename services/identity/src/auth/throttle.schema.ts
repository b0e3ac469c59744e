import { Schema } from 'mongoose';

/** Failed sign-ins for one key: `account:<email>` or `ip:<address>`. */
export interface ThrottleDoc {
  /** sha256 hex of the key (see ThrottleRepository): no address is stored. */
  _id: string;
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
  /** Forget the failures after this (TTL). */
  expiresAt: Date;
}

export const THROTTLE_COLLECTION = 'login_throttles';

export const throttleSchema = new Schema<ThrottleDoc>(
  {
    _id: { type: String, required: true },
    failures: { type: Number, default: 0 },
    lastFailureAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
  },
  { collection: THROTTLE_COLLECTION, versionKey: false },
);

// (lookups are by _id: the throttle key) old failure counts are removed by the store.
throttleSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

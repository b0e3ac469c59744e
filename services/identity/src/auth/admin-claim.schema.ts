import { Schema } from 'mongoose';

/** A singleton: whoever inserts `_id: 'first-account'` first became the install's first admin. */
export interface AdminClaimDoc {
  _id: string;
  memberId: string;
  claimedAt: Date;
}

export const ADMIN_CLAIM_COLLECTION = 'install';
export const ADMIN_CLAIM_ID = 'first-account';

// (lookups are by _id; its built-in unique index makes the claim race-free)
export const adminClaimSchema = new Schema<AdminClaimDoc>(
  {
    _id: { type: String, required: true },
    memberId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: ADMIN_CLAIM_COLLECTION, versionKey: false },
);

import { Schema } from 'mongoose';

/** A member's proven address: `_id` is the member id; the proof holds only for that `email`. */
export interface EmailVerificationDoc {
  _id: string;
  email: string;
  verifiedAt: Date;
}

export const EMAIL_VERIFICATION_COLLECTION = 'email_verifications';

// (looked up by _id only)
export const emailVerificationSchema = new Schema<EmailVerificationDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    verifiedAt: { type: Date, required: true },
  },
  { collection: EMAIL_VERIFICATION_COLLECTION, versionKey: false },
);

import { Schema, Types } from 'mongoose';

/** One refresh token. Tokens of one sign-in form a family; each refresh rotates to a new member of it. */
export interface SessionDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  familyId: string;
  /** sha256 hex of the token; the token itself is never stored. */
  tokenHash: string;
  /** When the family began (the sign-in). */
  familyCreatedAt: Date;
  createdAt: Date;
  expiresAt: Date;
  /** Set when this token was exchanged for the next one; presenting it again is reuse. */
  rotatedAt: Date | null;
  revokedAt: Date | null;
  /** Why it was revoked (a `SessionEndCause`); null on tokens revoked before causes were kept. */
  revokedCause: string | null;
  ip: string;
  userAgent: string;
}

export const SESSION_COLLECTION = 'sessions';

export const sessionSchema = new Schema<SessionDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    familyId: { type: String, required: true },
    tokenHash: { type: String, required: true },
    familyCreatedAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    rotatedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    revokedCause: { type: String, default: null },
    ip: { type: String, default: '' },
    userAgent: { type: String, default: '' },
  },
  { collection: SESSION_COLLECTION, versionKey: false },
);

// refresh and logout: look the presented token up by its hash.
sessionSchema.index({ tokenHash: 1 }, { unique: true });
// reuse detection and logout: revoke every token of a family.
sessionSchema.index({ familyId: 1 });
// export, account deletion, the sessions page and "end every session": a member's sessions.
sessionSchema.index({ memberId: 1, createdAt: -1 });
// expired refresh tokens (rotated ones included) are removed by the store.
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

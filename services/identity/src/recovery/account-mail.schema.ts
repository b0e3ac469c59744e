import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { UiLanguage } from '../members/member.types.js';

/**
 * What an account mail is. Those with a link carry a single-use token:
 * - `signup`: finishes an open registration (creates the account, signs it in); 24 h;
 * - `signup-known`: someone registered with an address that has an account; a reset link; 30 min;
 * - `verify`: confirms the member's address; 24 h;
 * - `reset`: sets a new password; 30 min;
 * - `email-change`: moves the account to the address it is mailed to; 24 h.
 * Notices without a link: `email-change-taken` (to an address asked for that already has an
 * account) and `email-changed` (to the old address once a change is confirmed).
 */
export const accountMailKinds = [
  'signup',
  'signup-known',
  'verify',
  'reset',
  'email-change',
  'email-change-taken',
  'email-changed',
] as const;
export type AccountMailKind = (typeof accountMailKinds)[number];

/** A registration waiting for its link: what the account will be made of (the password hashed). */
export interface PendingSignup {
  passwordHash: string;
  displayName: string;
  country: string;
  preferredLanguage: UiLanguage;
  timeZone: string;
}

export interface AccountMailDoc {
  _id: Types.ObjectId;
  kind: AccountMailKind;
  /** The account it is about; null for a sign-up (no account yet). */
  memberId: Types.ObjectId | null;
  /** Normalised address the mail goes to. */
  to: string;
  language: UiLanguage;
  /** sha256 hex of the link token (a notice's is of a token nobody is given). */
  tokenHash: string;
  /** The raw token, kept only until the mail is recorded, then unset. */
  pendingToken?: string | null;
  signup: PendingSignup | null;
  /** The other address a notice names (`email-changed`: the new one). */
  address: string | null;
  createdAt: Date;
  /** The link stops working at this time. */
  expiresAt: Date;
  /** Set once the link was followed (or superseded): it never works again. */
  usedAt: Date | null;
  /** The record is removed by the store after this. */
  purgeAt: Date;
  outbox: OutboxEntry[];
}

export const ACCOUNT_MAIL_COLLECTION = 'account_mails';

const pendingSignupSchema = new Schema<PendingSignup>(
  {
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true },
    country: { type: String, required: true },
    preferredLanguage: { type: String, required: true },
    timeZone: { type: String, required: true },
  },
  { _id: false },
);

export const accountMailSchema = new Schema<AccountMailDoc>(
  {
    kind: { type: String, enum: accountMailKinds, required: true },
    memberId: { type: Schema.Types.ObjectId, default: null },
    to: { type: String, required: true },
    language: { type: String, required: true },
    tokenHash: { type: String, required: true },
    pendingToken: { type: String, default: null },
    signup: { type: pendingSignupSchema, default: null },
    address: { type: String, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    purgeAt: { type: Date, required: true },
    outbox: outboxSchemaField,
  },
  { collection: ACCOUNT_MAIL_COLLECTION, versionKey: false },
);

// following a link: find by the token's hash.
accountMailSchema.index({ tokenHash: 1 }, { unique: true });
// a member's open email change (the security page), superseding older links, account deletion.
accountMailSchema.index({ memberId: 1, kind: 1, createdAt: -1 });
// account deletion: mails to the member's address.
accountMailSchema.index({ to: 1 });
// outbox relay: documents with unpublished events.
accountMailSchema.index({ 'outbox._id': 1 });
// used and expired links leave the store (a day after expiry: long enough to tell "used").
accountMailSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0 });

import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { UiLanguage } from '../members/member.types.js';

export interface InvitationDoc {
  _id: Types.ObjectId;
  inviterId: Types.ObjectId;
  /** Normalised address of the invitee. */
  email: string;
  message: string;
  /** The invitation mail's language; absent on older invitations (the inviter's then). */
  language?: UiLanguage | null;
  /** sha256 hex of the link token. */
  tokenHash: string;
  /** The raw token, kept only until the mailer has recorded the mail, then unset. */
  pendingToken?: string | null;
  status: 'sent' | 'accepted';
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedMemberId: Types.ObjectId | null;
  /** Events not yet published (platform outbox relay). */
  outbox: OutboxEntry[];
}

export const INVITATION_COLLECTION = 'invitations';

export const invitationSchema = new Schema<InvitationDoc>(
  {
    inviterId: { type: Schema.Types.ObjectId, required: true },
    email: { type: String, required: true },
    message: { type: String, default: '' },
    language: { type: String, default: null },
    tokenHash: { type: String, required: true },
    pendingToken: { type: String, default: null },
    status: { type: String, enum: ['sent', 'accepted'], default: 'sent' },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    acceptedAt: { type: Date, default: null },
    acceptedMemberId: { type: Schema.Types.ObjectId, default: null },
    outbox: outboxSchemaField,
  },
  { collection: INVITATION_COLLECTION, versionKey: false },
);

// invitation lookup and registration with a link: find by the token's hash.
invitationSchema.index({ tokenHash: 1 }, { unique: true });
// "invitations I sent", newest first; open invitation from this inviter to this address.
invitationSchema.index({ inviterId: 1, createdAt: -1 });
invitationSchema.index({ inviterId: 1, email: 1 });
// account deletion: invitations others sent to the member's address, or the one they accepted.
invitationSchema.index({ email: 1 });
invitationSchema.index({ acceptedMemberId: 1 });
// outbox relay: documents with unpublished events.
invitationSchema.index({ 'outbox._id': 1 });

/** Invitations per member per UTC day: `_id` = `<inviterId>:<YYYY-MM-DD>`. */
export interface InvitationQuotaDoc {
  _id: string;
  count: number;
  expiresAt: Date;
}

export const INVITATION_QUOTA_COLLECTION = 'invitation_quotas';

export const invitationQuotaSchema = new Schema<InvitationQuotaDoc>(
  {
    _id: { type: String, required: true },
    count: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { collection: INVITATION_QUOTA_COLLECTION, versionKey: false },
);

// (the quota is taken by _id) old days are removed by the store.
invitationQuotaSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

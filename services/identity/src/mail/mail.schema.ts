import { Schema, Types } from 'mongoose';

/** One outgoing mail; `key` names what it is for, so each thing is mailed at most once. */
export interface MailDoc {
  _id: Types.ObjectId;
  /** e.g. `invitation:<invitationId>` */
  key: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  transport: 'smtp' | 'dev-mailbox';
  /** 'sending' while an SMTP attempt holds the lease. */
  status: 'sending' | 'sent' | 'failed';
  error: string | null;
  attempts: number;
  leaseUntil: Date | null;
  createdAt: Date;
  sentAt: Date | null;
}

export const MAIL_COLLECTION = 'mails';

export const mailSchema = new Schema<MailDoc>(
  {
    key: { type: String, required: true },
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    html: { type: String, required: true },
    transport: { type: String, enum: ['smtp', 'dev-mailbox'], required: true },
    status: { type: String, enum: ['sending', 'sent', 'failed'], required: true },
    error: { type: String, default: null },
    attempts: { type: Number, default: 0 },
    leaseUntil: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { collection: MAIL_COLLECTION, versionKey: false },
);

// the mailer's idempotency: one mail per key, even when an event is delivered twice.
mailSchema.index({ key: 1 }, { unique: true });
// admin mailbox, newest first, paged.
mailSchema.index({ status: 1, createdAt: -1 });
// account deletion: every mail sent to the member's address.
mailSchema.index({ to: 1 });

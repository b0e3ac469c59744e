import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { NotificationType } from '@agora/proto';

/**
 * A member's choices (a member without a document gets every type in-app and no digest); it also
 * carries the `notifications.read` event of a mark-read, which touches many notifications at once.
 */
export interface PreferencesDoc {
  _id: Types.ObjectId;
  /** Types turned off (the rest are on, new types included). */
  muted: NotificationType[];
  digest: boolean;
  updatedAt: Date;
  /** Last time the member marked notifications read. */
  readAt: Date | null;
  outbox: OutboxEntry[];
}

export const PREFERENCES_COLLECTION = 'notification_preferences';

export const preferencesSchema = new Schema<PreferencesDoc>(
  {
    muted: { type: [String], default: [] },
    digest: { type: Boolean, default: false },
    updatedAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
    outbox: outboxSchemaField,
  },
  { collection: PREFERENCES_COLLECTION, versionKey: false },
);

// the digest sweep: every member who opted in.
preferencesSchema.index({ digest: 1 });
// outbox relay: documents with unpublished events.
preferencesSchema.index({ 'outbox._id': 1 });

import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';

/** One suspension or reinstatement, kept so admins can see an account's history. */
export interface SuspensionLogEntry {
  action: 'suspended' | 'reinstated';
  reason: string;
  byId: Types.ObjectId;
  at: Date;
}

/**
 * A member's suspension state, one document per member ever suspended (`_id` = the member's id).
 * Kept apart from the member document: a suspended account still exists (its contributions,
 * profile and memberships stay), it only cannot sign in.
 */
export interface SuspensionDoc {
  _id: Types.ObjectId;
  suspended: boolean;
  /** The current suspension's (or the last reinstatement's) reason and author. */
  reason: string;
  byId: Types.ObjectId;
  at: Date;
  log: SuspensionLogEntry[];
  outbox: OutboxEntry[];
}

export const SUSPENSION_COLLECTION = 'suspensions';

export const suspensionSchema = new Schema<SuspensionDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    suspended: { type: Boolean, required: true },
    reason: { type: String, required: true },
    byId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
    log: {
      type: [
        new Schema<SuspensionLogEntry>(
          {
            action: { type: String, enum: ['suspended', 'reinstated'], required: true },
            reason: { type: String, required: true },
            byId: { type: Schema.Types.ObjectId, required: true },
            at: { type: Date, required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    outbox: outboxSchemaField,
  },
  { collection: SUSPENSION_COLLECTION, versionKey: false },
);

// sign-in, refresh and the admin list read by _id (built in); the list's "suspended" filter:
suspensionSchema.index({ suspended: 1, at: -1 });
// outbox relay: find documents with unpublished events.
suspensionSchema.index({ 'outbox._id': 1 });

import { Schema } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';

/**
 * The last change period published for a document (one per doc, `_id` is the doc name): the
 * `collab.doc.changed` events go out through its outbox, so a period is either recorded with its
 * event or not at all.
 */
export interface DocChangeDoc {
  _id: string;
  /** Last update-log sequence a published period covered. */
  toSeq: number;
  changedAt: Date;
  outbox: OutboxEntry[];
}

export const DOC_CHANGE_COLLECTION = 'doc_changes';

export const docChangeSchema = new Schema<DocChangeDoc>(
  {
    _id: { type: String, required: true },
    toSeq: { type: Number, required: true },
    changedAt: { type: Date, required: true },
    outbox: outboxSchemaField,
  },
  { collection: DOC_CHANGE_COLLECTION, versionKey: false },
);
// outbox relay: documents with unpublished events (the rest is found by `_id`).
docChangeSchema.index({ 'outbox._id': 1 });

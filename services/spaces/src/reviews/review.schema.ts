import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';

export interface ScoreDoc {
  criterion: string;
  score: number;
  comment: string;
}

/** One reviewer's review of one proposal (revised in place until the decision). */
export interface ReviewDoc {
  _id: Types.ObjectId;
  proposalId: Types.ObjectId;
  reviewerId: Types.ObjectId;
  scores: ScoreDoc[];
  comment: string;
  weightedScore: number | null;
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

export const REVIEW_COLLECTION = 'reviews';

const scoreSchema = new Schema<ScoreDoc>(
  {
    criterion: { type: String, required: true },
    score: { type: Number, required: true },
    comment: { type: String, required: true },
  },
  { _id: false },
);

export const reviewSchema = new Schema<ReviewDoc>(
  {
    proposalId: { type: Schema.Types.ObjectId, required: true },
    reviewerId: { type: Schema.Types.ObjectId, required: true },
    scores: { type: [scoreSchema], default: [] },
    comment: { type: String, default: '' },
    weightedScore: { type: Number, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    outbox: outboxSchemaField,
  },
  { collection: REVIEW_COLLECTION, versionKey: false },
);

// one review per reviewer and proposal (a repeat revises it); a proposal's reviews.
reviewSchema.index({ proposalId: 1, reviewerId: 1 }, { unique: true });
// outbox relay: documents with unpublished events.
reviewSchema.index({ 'outbox._id': 1 });

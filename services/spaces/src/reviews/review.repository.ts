import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import { oid } from '../common/object-id.js';
import { REVIEW_COLLECTION, reviewSchema, type ReviewDoc, type ScoreDoc } from './review.schema.js';

export interface ReviewContent {
  scores: ScoreDoc[];
  comment: string;
  weightedScore: number | null;
}

/** Reviews: all their I/O. */
@Injectable()
export class ReviewRepository {
  private readonly model: Model<ReviewDoc>;
  private readonly writes: OutboxWriter<ReviewDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<ReviewDoc>('Review', reviewSchema, REVIEW_COLLECTION);
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  /**
   * Writes the reviewer's review, or revises the one they wrote; `events` are built for the
   * review's id, which the caller passes as `id` (kept when revising: `eventsFor(existingId)`).
   */
  async upsert(
    proposalId: string,
    reviewerId: string,
    id: string,
    content: ReviewContent,
    eventsFor: (reviewId: string) => readonly PendingEvent[],
    at: Date,
  ): Promise<ReviewDoc> {
    await this.indexed;
    const existing = await this.find(proposalId, reviewerId);
    if (!existing) {
      try {
        const doc = {
          _id: oid(id),
          proposalId: oid(proposalId),
          reviewerId: oid(reviewerId),
          ...content,
          createdAt: at,
          updatedAt: at,
        };
        await this.writes.insert(doc, eventsFor(id), at);
        return { ...doc, outbox: [] };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    const current = existing ?? (await this.find(proposalId, reviewerId));
    if (!current) throw new Error('review vanished while being revised');
    const revised = await this.writes.update(
      { _id: current._id },
      { $set: { ...content, updatedAt: at } },
      eventsFor(current._id.toHexString()),
      at,
    );
    if (!revised) throw new Error('review vanished while being revised');
    return revised;
  }

  find(proposalId: string, reviewerId: string): Promise<ReviewDoc | null> {
    return this.model
      .findOne({ proposalId: oid(proposalId), reviewerId: oid(reviewerId) }, { outbox: 0 })
      .lean<ReviewDoc>()
      .exec();
  }

  listByProposal(proposalId: string): Promise<ReviewDoc[]> {
    return this.model
      .find({ proposalId: oid(proposalId) }, { outbox: 0 })
      .sort({ createdAt: 1 })
      .lean<ReviewDoc[]>()
      .exec();
  }
}

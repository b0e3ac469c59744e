import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { BoardArea, CardRejection } from '@agora/proto';

/**
 * A board card as spaces judged it (once: unique `{sessionId, cardId}`). Accepted cards of a
 * proposal's pitch become that proposal's feedback once the session is closed; the team's decision
 * on one (a suggested change, or dismissed with a reason) is kept here with its origin.
 */
export interface SessionCardDoc {
  _id: Types.ObjectId;
  sessionId: Types.ObjectId;
  cardId: string;
  pitchIndex: number;
  /** The pitch's proposal, if it is one (feedback is listed by proposal). */
  proposalId: Types.ObjectId | null;
  ideaId: Types.ObjectId | null;
  area: BoardArea;
  authorId: Types.ObjectId;
  text: string;
  anchor: string | null;
  /** The author's own time of writing (display only). */
  cardCreatedAt: Date;
  status: 'accepted' | 'rejected';
  rejection: CardRejection | null;
  judgedAt: Date;
  feedback: {
    state: 'open' | 'accepted' | 'dismissed';
    reason: string | null;
    suggestionId: string | null;
    decidedBy: Types.ObjectId | null;
    decidedAt: Date | null;
  };
  outbox: OutboxEntry[];
}

export const SESSION_CARD_COLLECTION = 'session_cards';

export const sessionCardSchema = new Schema<SessionCardDoc>(
  {
    sessionId: { type: Schema.Types.ObjectId, required: true },
    cardId: { type: String, required: true },
    pitchIndex: { type: Number, required: true },
    proposalId: { type: Schema.Types.ObjectId, default: null },
    ideaId: { type: Schema.Types.ObjectId, default: null },
    area: { type: String, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    text: { type: String, required: true },
    anchor: { type: String, default: null },
    cardCreatedAt: { type: Date, required: true },
    status: { type: String, enum: ['accepted', 'rejected'], required: true },
    rejection: { type: String, default: null },
    judgedAt: { type: Date, required: true },
    feedback: {
      state: { type: String, enum: ['open', 'accepted', 'dismissed'], default: 'open' },
      reason: { type: String, default: null },
      suggestionId: { type: String, default: null },
      decidedBy: { type: Schema.Types.ObjectId, default: null },
      decidedAt: { type: Date, default: null },
    },
    outbox: outboxSchemaField,
  },
  { collection: SESSION_CARD_COLLECTION, versionKey: false },
);

// a card is judged once (a redelivered doc change finds it here); also a session's cards.
sessionCardSchema.index({ sessionId: 1, cardId: 1 }, { unique: true });
// a proposal's feedback: its accepted cards.
sessionCardSchema.index({ proposalId: 1, status: 1 });
// an idea's feedback by area.
sessionCardSchema.index({ ideaId: 1, status: 1 });
// outbox relay: documents with unpublished events.
sessionCardSchema.index({ 'outbox._id': 1 });

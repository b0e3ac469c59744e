import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';

export interface VoteDoc {
  /** The client's idempotency key: one per intended dot spend. */
  key: string;
  pitchIndex: number;
  cardId: string | null;
  dots: number;
  at: Date;
}

/**
 * One member's dots in one session. Every vote is one conditional update of this one document
 * ("this key not spent yet, and enough dots left" → push the vote, add its dots, write its
 * event), so a double click, a reload or a second tab never counts twice and concurrent votes never
 * overspend, without a transaction.
 */
export interface VoteWalletDoc {
  _id: Types.ObjectId;
  sessionId: Types.ObjectId;
  memberId: Types.ObjectId;
  spent: number;
  votes: VoteDoc[];
  outbox: OutboxEntry[];
}

export const VOTE_WALLET_COLLECTION = 'session_vote_wallets';

const voteSchema = new Schema<VoteDoc>(
  {
    key: { type: String, required: true },
    pitchIndex: { type: Number, required: true },
    cardId: { type: String, default: null },
    dots: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

export const voteWalletSchema = new Schema<VoteWalletDoc>(
  {
    sessionId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    spent: { type: Number, default: 0 },
    votes: { type: [voteSchema], default: [] },
    outbox: outboxSchemaField,
  },
  { collection: VOTE_WALLET_COLLECTION, versionKey: false },
);

// one wallet per member and session; also every wallet of a session (results, turnout).
voteWalletSchema.index({ sessionId: 1, memberId: 1 }, { unique: true });
// outbox relay: documents with unpublished events.
voteWalletSchema.index({ 'outbox._id': 1 });

import { Schema } from 'mongoose';

/**
 * One ledger entry. Append-only: its `_id` is the unique key derived from the rule and the source
 * event (`post-published:<postId>`, `daily-login:<member>:<day>`, `charge:<member>:<key>` …), so a
 * redelivery or replay finds it there and pays nothing. Never changed once written.
 */
export interface EntryDoc {
  _id: string;
  memberId: string;
  rule: string;
  ruleVersion: number;
  points: number;
  sourceType: string;
  sourceId: string;
  reason: string | null;
  /** When the source event happened (charges and corrections: when they were made). */
  at: Date;
  /** `YYYY-MM` of `at` (UTC): the month leaderboard counts it there. */
  month: string;
  /** Newest-first cursor of the member's history: ms × 1000 + a per-process counter. */
  seq: number;
  /** Whose action paid it (the liker of a like), for the abuse report; null otherwise. */
  fromMember: string | null;
  /** Guarded debits: the balance right after (what a replayed charge answers). */
  balanceAfter?: number | null;
}

export const ENTRY_COLLECTION = 'entries';

export const entrySchema = new Schema<EntryDoc>(
  {
    _id: { type: String, required: true },
    memberId: { type: String, required: true },
    rule: { type: String, required: true },
    ruleVersion: { type: Number, required: true },
    points: { type: Number, required: true },
    sourceType: { type: String, required: true },
    sourceId: { type: String, required: true },
    reason: { type: String, default: null },
    at: { type: Date, required: true },
    month: { type: String, required: true },
    seq: { type: Number, required: true },
    fromMember: { type: String, default: null },
    balanceAfter: { type: Number, default: null },
  },
  { collection: ENTRY_COLLECTION, versionKey: false },
);

// The member's history, newest first, and its `before` cursor.
entrySchema.index({ memberId: 1, seq: -1 });
// The abuse report: a rule's entries in a recent window.
entrySchema.index({ at: 1 });

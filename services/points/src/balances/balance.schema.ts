import { Schema } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { Move } from '../leaderboard/histogram-buckets.js';

/** A debit written into the balance before its entry (charges, corrections): finished by the repair. */
export interface PendingDebit {
  key: string;
  rule: string;
  points: number;
  reason: string;
  sourceType: string;
  sourceId: string;
  at: Date;
}

/**
 * What one write did to the leaderboard histograms, kept in the balance until its batch `b` is
 * folded into them: written with the balance, so a crash never loses a move or counts one twice.
 */
export interface PendingMove {
  b: string;
  d: Move[];
}

/**
 * The projection of one member's ledger: balance, level, this month's points, and the keys of the
 * last entries applied (so applying an entry twice is a no-op). Every change is one conditional
 * write on `rev`, carrying its `points.awarded` / `level.changed` events in the outbox.
 */
export interface BalanceDoc {
  _id: string;
  balance: number;
  level: string;
  month: string;
  monthPoints: number;
  country: string | null;
  rev: number;
  recent: string[];
  pending: PendingDebit[];
  hasPending: boolean;
  /** Leaderboard keys (see board-keys.ts): points plus a tie-break, prefixed by month/country. */
  kAll: number;
  kMonth: number;
  kCountry: number | null;
  kCountryMonth: number | null;
  moves: PendingMove[];
  outbox: OutboxEntry[];
}

export const BALANCE_COLLECTION = 'balances';

const pendingSchema = new Schema<PendingDebit>(
  {
    key: { type: String, required: true },
    rule: { type: String, required: true },
    points: { type: Number, required: true },
    reason: { type: String, required: true },
    sourceType: { type: String, required: true },
    sourceId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const moveSchema = new Schema<PendingMove>(
  { b: { type: String, required: true }, d: { type: Schema.Types.Mixed, required: true } },
  { _id: false },
);

export const balanceSchema = new Schema<BalanceDoc>(
  {
    _id: { type: String, required: true },
    balance: { type: Number, required: true },
    level: { type: String, required: true },
    month: { type: String, required: true },
    monthPoints: { type: Number, required: true },
    country: { type: String, default: null },
    rev: { type: Number, required: true },
    recent: { type: [String], default: [] },
    pending: { type: [pendingSchema], default: [] },
    hasPending: { type: Boolean, default: false },
    kAll: { type: Number, required: true },
    kMonth: { type: Number, required: true },
    kCountry: { type: Number, default: null },
    kCountryMonth: { type: Number, default: null },
    moves: { type: [moveSchema], default: [] },
    outbox: outboxSchemaField,
  },
  { collection: BALANCE_COLLECTION, versionKey: false },
);

// Leaderboards: top N walks a board's range in key order; "my rank" counts my bucket's keys above me
// (the all-time board too: kAll orders by balance, so no index on `balance` itself).
balanceSchema.index({ kAll: -1 });
balanceSchema.index({ kMonth: -1 });
balanceSchema.index({ kCountry: -1 });
balanceSchema.index({ kCountryMonth: -1 });
// The repair: debits a crash left without their entry.
balanceSchema.index({ hasPending: 1 });
// Histogram moves: a batch's balances (to fold and clear it), and batches a crash left (by age).
balanceSchema.index({ 'moves.b': 1 });
// Outbox relay: documents with unpublished events.
balanceSchema.index({ 'outbox._id': 1 });

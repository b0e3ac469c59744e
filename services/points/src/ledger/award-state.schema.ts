import { Schema } from 'mongoose';

/**
 * What the award kinds remember beside the ledger, each keyed so that a redelivery finds its own
 * earlier write: daily cap slots, threshold units, standing states (likes), and tombstones of
 * deleted objects (so a deletion that arrives before its creation still cancels the award).
 */

/** `<rule>:<member>:<UTC day>`: the keys that took a slot; at most the cap. */
export interface CapDoc {
  _id: string;
  keys: string[];
  n: number;
}
export const capSchema = new Schema<CapDoc>(
  { _id: String, keys: { type: [String], default: [] }, n: { type: Number, default: 0 } },
  { collection: 'caps', versionKey: false },
);

/** `<rule>:<member>:<unit>`: one counted unit of a threshold rule (a like received). */
export interface UnitDoc {
  _id: string;
  rule: string;
  memberId: string;
  fromMember: string | null;
  at: Date;
}
export const unitSchema = new Schema<UnitDoc>(
  {
    _id: String,
    rule: { type: String, required: true },
    memberId: { type: String, required: true },
    fromMember: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'units', versionKey: false },
);
// Counting a member's units for a rule (the threshold), and the burst report's window.
unitSchema.index({ memberId: 1, rule: 1 });
unitSchema.index({ at: 1 });

/**
 * `<rule>:<member>:<object>`: whether the state stands (the latest event by time, then id, wins,
 * whatever order they arrive in) and `t`, the number of transitions paid so far: odd = paid.
 */
export interface StandingDoc {
  _id: string;
  stands: boolean;
  lastAt: Date;
  lastId: string;
  t: number;
}
export const standingSchema = new Schema<StandingDoc>(
  {
    _id: String,
    stands: { type: Boolean, required: true },
    lastAt: { type: Date, required: true },
    lastId: { type: String, required: true },
    t: { type: Number, default: 0 },
  },
  { collection: 'standing', versionKey: false },
);

/** `<rule>:<object>`: the object was deleted (its award is reversed, a late award never stands). */
export interface TombstoneDoc {
  _id: string;
  at: Date;
}
export const tombstoneSchema = new Schema<TombstoneDoc>(
  { _id: String, at: { type: Date, required: true } },
  { collection: 'tombstones', versionKey: false },
);

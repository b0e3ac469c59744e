import { Schema } from 'mongoose';
import type { Level, Rule } from '@agora/proto';

/** One rule as it stands (its current version); `_id` is the rule id. */
export type RuleDoc = Omit<Rule, 'id' | 'updatedAt'> & { _id: string; updatedAt: Date };

/** Every version a rule ever had (`<id>@<version>`), append-only: what an award was paid under. */
export type RuleVersionDoc = RuleDoc & { ruleId: string };

/** Level thresholds (`_id: 'levels'`). */
export interface SettingsDoc {
  _id: string;
  levels: Level[];
  updatedAt: Date;
}

const ruleFields = {
  enabled: { type: Boolean, required: true },
  points: { type: Number, required: true },
  kind: { type: String, required: true },
  event: { type: String, required: true },
  memberField: { type: String, required: true },
  objectField: { type: String, required: true },
  sourceType: { type: String, required: true },
  reversedBy: { type: String, default: null },
  dailyCap: { type: Number, default: null },
  every: { type: Number, default: null },
  unitFields: { type: [String], default: [] },
  unlessSameAs: { type: String, default: null },
  onlyWhen: { type: Schema.Types.Mixed, default: null },
  version: { type: Number, required: true },
  suggested: { type: Boolean, required: true },
  updatedAt: { type: Date, required: true },
  updatedBy: { type: String, default: null },
};

export const ruleSchema = new Schema<RuleDoc>(
  { _id: String, ...ruleFields },
  { collection: 'rules', versionKey: false, minimize: false },
);

export const ruleVersionSchema = new Schema<RuleVersionDoc>(
  { _id: String, ruleId: { type: String, required: true }, ...ruleFields },
  { collection: 'rule_versions', versionKey: false, minimize: false },
);

export const settingsSchema = new Schema<SettingsDoc>(
  {
    _id: String,
    levels: { type: [{ _id: false, name: String, from: Number }], required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'settings', versionKey: false },
);

import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import type { Level, Rule } from '@agora/proto';
import {
  ruleSchema,
  ruleVersionSchema,
  settingsSchema,
  type RuleDoc,
  type RuleVersionDoc,
  type SettingsDoc,
} from './rule.schema.js';

const LEVELS = 'levels';

function toRule(doc: RuleDoc): Rule {
  const { _id, updatedAt, ...rest } = doc;
  return {
    id: _id,
    enabled: rest.enabled,
    points: rest.points,
    kind: rest.kind,
    event: rest.event,
    memberField: rest.memberField,
    objectField: rest.objectField,
    sourceType: rest.sourceType,
    reversedBy: rest.reversedBy ?? null,
    dailyCap: rest.dailyCap ?? null,
    every: rest.every ?? null,
    unitFields: rest.unitFields ?? [],
    unlessSameAs: rest.unlessSameAs ?? null,
    onlyWhen: rest.onlyWhen ?? null,
    version: rest.version,
    suggested: rest.suggested,
    updatedAt: new Date(updatedAt).toISOString(),
    updatedBy: rest.updatedBy ?? null,
  };
}

function toDoc(rule: Rule): RuleDoc {
  const { id, updatedAt, ...rest } = rule;
  return { _id: id, ...rest, updatedAt: new Date(updatedAt) };
}

/** The rules, their version history and the level thresholds. */
@Injectable()
export class RulesRepository {
  private readonly rules: Model<RuleDoc>;
  private readonly versions: Model<RuleVersionDoc>;
  private readonly settings: Model<SettingsDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.rules = mongo.connection.model<RuleDoc>('Rule', ruleSchema);
    this.versions = mongo.connection.model<RuleVersionDoc>('RuleVersion', ruleVersionSchema);
    this.settings = mongo.connection.model<SettingsDoc>('Settings', settingsSchema);
    this.indexed = Promise.all([
      indexesReady(this.rules),
      indexesReady(this.versions),
      indexesReady(this.settings),
    ]).then(() => undefined);
  }

  async all(): Promise<Rule[]> {
    const docs = await this.rules.find({}).sort({ _id: 1 }).lean<RuleDoc[]>().exec();
    return docs.map(toRule);
  }

  async levels(): Promise<Level[] | null> {
    const doc = await this.settings.findById(LEVELS).lean<SettingsDoc>().exec();
    return doc ? doc.levels.map((l) => ({ name: l.name, from: l.from })) : null;
  }

  /** Writes a rule's first version unless it exists (seeding is idempotent across replicas). */
  async seed(rule: Rule): Promise<void> {
    await this.indexed;
    await this.recordVersion(rule);
    try {
      await this.rules.create(toDoc(rule));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async seedLevels(levels: readonly Level[], at: Date): Promise<void> {
    try {
      await this.settings.create({ _id: LEVELS, levels: [...levels], updatedAt: at });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /**
   * Replaces version `rule.version - 1` by `rule` (optimistic: false when someone else changed it
   * first). The version is kept in the history before it becomes current.
   */
  async replace(rule: Rule): Promise<boolean> {
    await this.recordVersion(rule);
    const { _id, ...fields } = toDoc(rule);
    const res = await this.rules
      .updateOne({ _id, version: rule.version - 1 }, { $set: fields })
      .exec();
    return res.modifiedCount === 1;
  }

  /** A new rule (version 1); false when the id is taken. */
  async create(rule: Rule): Promise<boolean> {
    await this.indexed;
    await this.recordVersion(rule);
    try {
      await this.rules.create(toDoc(rule));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async setLevels(levels: readonly Level[], at: Date): Promise<void> {
    await this.settings
      .updateOne(
        { _id: LEVELS },
        { $set: { levels: [...levels], updatedAt: at } },
        { upsert: true },
      )
      .exec();
  }

  private async recordVersion(rule: Rule): Promise<void> {
    try {
      await this.versions.create({
        ...toDoc(rule),
        _id: `${rule.id}@${rule.version}`,
        ruleId: rule.id,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}

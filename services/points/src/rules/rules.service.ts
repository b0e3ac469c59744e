import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock, RpcFailure, type VerifiedActor } from '@agora/platform';
import { systemRuleIds, type Level, type Rule, type RuleInput, type Ruleset } from '@agora/proto';
import { POINTS_CONFIG, type PointsConfig } from '../common/points-config.js';
import { RulesRepository } from './rules.repository.js';
import { defaultLevels, publishedRules, suggestedRules } from './seed-rules.js';

/** The rules in force, indexed by the event types that pay or take back. */
export interface ActiveRules {
  readonly rules: readonly Rule[];
  readonly levels: readonly Level[];
  /** Enabled rules paying on each event type. */
  readonly paying: ReadonlyMap<string, readonly Rule[]>;
  /** Enabled rules taken back by each event type. */
  readonly reversing: ReadonlyMap<string, readonly Rule[]>;
}

const editable = (fields: RuleInput | Rule): RuleInput => ({
  id: fields.id,
  enabled: fields.enabled,
  points: fields.points,
  kind: fields.kind,
  event: fields.event,
  memberField: fields.memberField,
  objectField: fields.objectField,
  sourceType: fields.sourceType,
  reversedBy: fields.reversedBy,
  dailyCap: fields.dailyCap,
  every: fields.every,
  unitFields: [...fields.unitFields],
  unlessSameAs: fields.unlessSameAs,
  onlyWhen: fields.onlyWhen ? { ...fields.onlyWhen } : null,
});

/** Rules are data: seeded once from the published table, versioned on every change. */
@Injectable()
export class RulesService implements OnApplicationBootstrap {
  private cache: { at: number; value: ActiveRules } | undefined;
  private reading: Promise<ActiveRules> | undefined;
  /** Bumped by every change: a read begun before it must not fill the cache after it. */
  private generation = 0;
  private seeded: Promise<void> | undefined;

  constructor(
    private readonly repo: RulesRepository,
    private readonly clock: Clock,
    @Inject(POINTS_CONFIG) private readonly config: PointsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.seeded = this.seed();
    // A store still starting is retried by the next read.
    this.seeded.catch(() => (this.seeded = undefined));
  }

  /** The rules in force (read again after POINTS_RULES_TTL_MS). */
  async active(): Promise<ActiveRules> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < this.config.POINTS_RULES_TTL_MS)
      return this.cache.value;
    // Callers that find the cache stale together share one read.
    if (!this.reading) {
      const reading = this.read(now);
      this.reading = reading;
      void reading
        .finally(() => {
          if (this.reading === reading) this.reading = undefined;
        })
        .catch(() => undefined);
    }
    return this.reading;
  }

  private invalidate(): void {
    this.cache = undefined;
    this.reading = undefined;
    this.generation += 1;
  }

  private async read(now: number): Promise<ActiveRules> {
    const generation = this.generation;
    await (this.seeded ??= this.seed());
    const [rules, levels] = await Promise.all([this.repo.all(), this.repo.levels()]);
    const paying = new Map<string, Rule[]>();
    const reversing = new Map<string, Rule[]>();
    for (const r of rules) {
      if (!r.enabled) continue;
      paying.set(r.event, [...(paying.get(r.event) ?? []), r]);
      if (r.reversedBy) reversing.set(r.reversedBy, [...(reversing.get(r.reversedBy) ?? []), r]);
    }
    const value: ActiveRules = { rules, levels: levels ?? [...defaultLevels], paying, reversing };
    if (generation === this.generation) this.cache = { at: now, value };
    return value;
  }

  async ruleset(actor: VerifiedActor): Promise<Ruleset> {
    this.mayEdit(actor);
    this.invalidate();
    const { rules, levels } = await this.active();
    return { rules: [...rules], levels: [...levels] };
  }

  /** Changes or adds rules (each changed rule gets version + 1) and/or the level thresholds. */
  async update(
    actor: VerifiedActor,
    change: { rules?: RuleInput[] | undefined; levels?: Level[] | undefined },
  ): Promise<Ruleset> {
    this.mayEdit(actor);
    const at = this.clock.now();
    const ids = new Set<string>();
    for (const input of change.rules ?? []) {
      if ((systemRuleIds as readonly string[]).includes(input.id))
        throw new RpcFailure('UNPROCESSABLE', `"${input.id}" is the engine's own entry kind`);
      if (ids.has(input.id)) throw new RpcFailure('UNPROCESSABLE', `rule ${input.id} given twice`);
      ids.add(input.id);
    }
    this.invalidate();
    const current = new Map((await this.active()).rules.map((r) => [r.id, r]));
    for (const input of change.rules ?? []) {
      const old = current.get(input.id);
      const stamp = { updatedAt: at.toISOString(), updatedBy: actor.memberId };
      if (!old) {
        const created = await this.repo.create({
          ...input,
          version: 1,
          suggested: false,
          ...stamp,
        });
        if (!created) throw new RpcFailure('CONFLICT', `rule ${input.id} was created meanwhile`);
        continue;
      }
      if (JSON.stringify(editable(old)) === JSON.stringify(editable(input))) continue;
      const ok = await this.repo.replace({
        ...input,
        version: old.version + 1,
        suggested: old.suggested,
        ...stamp,
      });
      if (!ok) throw new RpcFailure('CONFLICT', `rule ${input.id} changed meanwhile: reload it`);
    }
    if (change.levels) await this.repo.setLevels(change.levels, at);
    this.invalidate();
    const { rules, levels } = await this.active();
    return { rules: [...rules], levels: [...levels] };
  }

  private mayEdit(actor: VerifiedActor): void {
    if (actor.role !== 'admin' && actor.role !== 'facilitator')
      throw new RpcFailure('FORBIDDEN', 'facilitators and admins only');
  }

  private async seed(): Promise<void> {
    const at = this.clock.now().toISOString();
    for (const s of [...publishedRules, ...suggestedRules]) {
      await this.repo.seed({ ...s, version: 1, updatedAt: at, updatedBy: null });
    }
    await this.repo.seedLevels(defaultLevels, new Date(at));
  }
}

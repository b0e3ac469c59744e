import { Injectable } from '@nestjs/common';
import type { Envelope, Rule } from '@agora/proto';
import { utcDayOf } from '../balances/levels.js';
import { RulesService, type ActiveRules } from '../rules/rules.service.js';
import { AwardStateRepository } from './award-state.repository.js';
import { awardKey, beneficiary, field, reversalKey, unitOf } from './award-keys.js';
import { EntryWriter } from './entry-writer.service.js';
import { LedgerRepository } from './ledger.repository.js';

/**
 * Turns a domain event into ledger entries by the rules in force. Idempotent: every write is keyed
 * by the rule and the source, so handling one event twice (a redelivery, a replay, a restart)
 * leaves the same ledger as handling it once, and the outcome does not depend on arrival order
 * (a deletion before its creation, an unlike before its like).
 */
@Injectable()
export class AwardService {
  constructor(
    private readonly rules: RulesService,
    private readonly state: AwardStateRepository,
    private readonly ledger: LedgerRepository,
    private readonly writer: EntryWriter,
  ) {}

  /**
   * A batch of events, handled together: each runs its own steps, in the order `handle` gives
   * them, and the entry writer shares each step's store round trip among them. Resolves once every
   * event's effects are durable; rejects (after all have finished) if any failed.
   */
  async handleBatch(events: readonly Envelope[]): Promise<void> {
    // One read of the rules for all: the events then reach each step in the same turn.
    const active = await this.rules.active();
    const results = await Promise.allSettled(events.map((e) => this.handle(e, active)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async handle(event: Envelope, rules?: ActiveRules): Promise<void> {
    const active = rules ?? (await this.rules.active());
    for (const rule of active.paying.get(event.type) ?? []) await this.pay(rule, event);
    for (const rule of active.reversing.get(event.type) ?? []) await this.takeBack(rule, event);
  }

  private async pay(rule: Rule, event: Envelope): Promise<void> {
    const member = beneficiary(rule, event);
    const object = field(event, rule.objectField);
    if (!member || !object) return;
    const at = new Date(event.occurredAt);
    if (rule.kind === 'while-standing') {
      const id = awardKey(rule, member, object);
      await this.state.recordState(id, true, at, event.id);
      return this.settleStanding(rule, id, member, object, event);
    }
    if (rule.kind === 'threshold') return this.crossThreshold(rule, member, object, event);
    const key = awardKey(rule, member, object);
    const tomb = tombstoneOf(rule, object);
    // Already deleted: pay nothing, but take back an award an earlier delivery of this event wrote
    // before a crash stopped it from seeing the deletion (the deletion itself may have found none).
    if (rule.reversedBy && (await this.state.buried(tomb))) return this.reverse(key, at);
    if (rule.dailyCap !== null && !(await this.slot(rule, member, key, at))) return;
    await this.writer.award({
      _id: key,
      memberId: member,
      rule: rule.id,
      ruleVersion: rule.version,
      points: rule.points,
      sourceType: rule.sourceType,
      sourceId: object,
      reason: null,
      at,
      fromMember: null,
    });
    // A deletion handled meanwhile found no award to reverse: reverse it here.
    if (rule.reversedBy && (await this.state.buried(tomb))) await this.reverse(key, at);
  }

  private async takeBack(rule: Rule, event: Envelope): Promise<void> {
    const member = beneficiary(rule, event);
    const object = field(event, rule.objectField);
    if (!member || !object) return;
    const at = new Date(event.occurredAt);
    if (rule.kind === 'while-standing') {
      const id = awardKey(rule, member, object);
      await this.state.recordState(id, false, at, event.id);
      return this.settleStanding(rule, id, member, object, event);
    }
    await this.state.bury(tombstoneOf(rule, object), at);
    await this.reverse(awardKey(rule, member, object), at);
  }

  /** Reverses the award `key` if it exists (once: the reversal's key is derived from it). */
  private async reverse(key: string, at: Date): Promise<void> {
    const paid = await this.ledger.get(key);
    if (!paid || paid.points === 0) return;
    await this.writer.award({
      _id: reversalKey(key),
      memberId: paid.memberId,
      rule: paid.rule,
      ruleVersion: paid.ruleVersion,
      points: -paid.points,
      sourceType: paid.sourceType,
      sourceId: paid.sourceId,
      reason: null,
      at,
      fromMember: paid.fromMember,
    });
  }

  /**
   * Brings what a standing state has paid in line with whether it stands. Transition `t` (1, 2, …)
   * has the ledger key `<id>:<t>`: odd ones pay the rule's points (unless the daily cap is
   * reached), even ones take back what the one before paid. Whoever runs a transition first writes
   * its entry; the count moves on only after, so a crash between the two repeats an entry that
   * already exists, never a payment.
   */
  private async settleStanding(
    rule: Rule,
    id: string,
    member: string,
    object: string,
    event: Envelope,
  ): Promise<void> {
    for (;;) {
      const s = await this.state.state(id);
      if (!s) return;
      // Transition t + 1 written but the count not moved on (a kill between the two): move it on
      // first, so a flip of the state meanwhile is settled against what was really paid.
      if (await this.ledger.get(`${id}:${s.t + 1}`)) {
        await this.state.advance(id, s.t);
        continue;
      }
      const paid = s.t % 2 === 1;
      if (s.stands === paid) return;
      const next = s.t + 1;
      const key = `${id}:${next}`;
      const at = new Date(event.occurredAt);
      let points = 0;
      if (next % 2 === 1) {
        if (rule.dailyCap === null || (await this.slot(rule, member, key, at)))
          points = rule.points;
      } else {
        const before = await this.ledger.get(`${id}:${next - 1}`);
        points = before ? -before.points : 0;
      }
      if (points !== 0)
        await this.writer.award({
          _id: key,
          memberId: member,
          rule: rule.id,
          ruleVersion: rule.version,
          points,
          sourceType: rule.sourceType,
          sourceId: object,
          reason: null,
          at,
          fromMember: null,
        });
      await this.state.advance(id, s.t);
    }
  }

  /** Counts the unit once, then pays every multiple of `every` reached (each once, ever). */
  private async crossThreshold(
    rule: Rule,
    member: string,
    object: string,
    event: Envelope,
  ): Promise<void> {
    const unit = unitOf(rule, event);
    const every = rule.every ?? 0;
    if (!unit || every <= 0) return;
    const at = new Date(event.occurredAt);
    const liker = rule.unlessSameAs ? field(event, rule.unlessSameAs) : null;
    const count = await this.state.countUnit({
      _id: `${rule.id}:${member}:${unit}`,
      rule: rule.id,
      memberId: member,
      fromMember: liker,
      at,
    });
    // From the highest multiple reached down to the last one paid, then paid upwards: one or two
    // reads per like, and a crash mid-way leaves a gap the next like fills.
    let first = Math.floor(count / every);
    while (first >= 1 && !(await this.ledger.get(awardKey(rule, member, String(first * every)))))
      first -= 1;
    for (let m = first + 1; m <= Math.floor(count / every); m += 1) {
      await this.writer.award({
        _id: awardKey(rule, member, String(m * every)),
        memberId: member,
        rule: rule.id,
        ruleVersion: rule.version,
        points: rule.points,
        sourceType: rule.sourceType,
        sourceId: object,
        reason: null,
        at,
        fromMember: liker,
      });
    }
  }

  private slot(rule: Rule, member: string, key: string, at: Date): Promise<boolean> {
    return this.state.takeSlot(`${rule.id}:${member}:${utcDayOf(at)}`, key, rule.dailyCap ?? 0);
  }
}

function tombstoneOf(rule: Rule, object: string): string {
  return `${rule.id}:${object}`;
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, type VerifiedActor } from '@agora/platform';
import { systemRuleIds, type RpcPayload, type RpcResponse, type pointsRpc } from '@agora/proto';
import { BalanceMovesRepository } from '../balances/balance-moves.repository.js';
import { BalanceRepository } from '../balances/balance.repository.js';
import { monthOf } from '../balances/levels.js';
import { AwardStateRepository } from '../ledger/award-state.repository.js';
import { reversalKey } from '../ledger/award-keys.js';
import { EntryWriter } from '../ledger/entry-writer.service.js';
import { entryView } from '../ledger/entry.view.js';
import { LedgerRepository } from '../ledger/ledger.repository.js';
import { RulesService } from '../rules/rules.service.js';

type Res<K extends keyof typeof pointsRpc> = RpcResponse<(typeof pointsRpc)[K]>;
type Req<K extends keyof typeof pointsRpc> = RpcPayload<(typeof pointsRpc)[K]>;

/** A burst: many units from at most this share of distinct members. */
const FEW_MEMBERS_RATIO = 0.25;

/** What admins do to the ledger: corrections, reversals with a reason, the abuse report, the rebuild. */
@Injectable()
export class AdminService {
  constructor(
    private readonly writer: EntryWriter,
    private readonly ledger: LedgerRepository,
    private readonly balances: BalanceRepository,
    private readonly moves: BalanceMovesRepository,
    private readonly state: AwardStateRepository,
    private readonly rules: RulesService,
    private readonly clock: Clock,
  ) {}

  async adjust(
    actor: VerifiedActor,
    req: Req<'adjustmentCreate'>,
  ): Promise<Res<'adjustmentCreate'>> {
    this.adminOnly(actor);
    const id = randomUUID();
    const { outcome, entry } = await this.writer.debit({
      _id: `adjustment:${req.memberId}:${id}`,
      memberId: req.memberId,
      rule: 'adjustment',
      ruleVersion: 0,
      points: req.points,
      sourceType: 'adjustment',
      sourceId: id,
      reason: req.reason,
      at: this.clock.now(),
      fromMember: actor.memberId,
    });
    if (outcome.kind === 'insufficient')
      throw new RpcFailure(
        'INSUFFICIENT_POINTS',
        'a correction may not take a balance below zero',
        {
          balance: outcome.balance,
        },
      );
    return { entry: entryView(entry), balance: outcome.balance };
  }

  async reverse(actor: VerifiedActor, req: Req<'reversalCreate'>): Promise<Res<'reversalCreate'>> {
    this.adminOnly(actor);
    const original = await this.ledger.get(req.entryId);
    if (!original) throw new RpcFailure('NOT_FOUND', 'no such entry');
    if ((systemRuleIds as readonly string[]).includes(original.rule) || original.points <= 0)
      throw new RpcFailure('UNPROCESSABLE', 'only awards can be reversed');
    const key = `reversal:${req.entryId}`;
    if (await this.ledger.get(key))
      throw new RpcFailure('CONFLICT', 'this entry is already reversed');
    if (await this.ledger.get(reversalKey(req.entryId)))
      throw new RpcFailure('CONFLICT', 'this award was already taken back');
    const { outcome, entry } = await this.writer.debit({
      _id: key,
      memberId: original.memberId,
      rule: 'reversal',
      ruleVersion: 0,
      points: -original.points,
      sourceType: 'entry',
      sourceId: original._id,
      reason: req.reason,
      at: this.clock.now(),
      fromMember: actor.memberId,
    });
    if (outcome.kind === 'insufficient')
      throw new RpcFailure(
        'INSUFFICIENT_POINTS',
        'the points were spent: the balance cannot cover this reversal',
        {
          balance: outcome.balance,
        },
      );
    return { entry: entryView(entry), balance: outcome.balance };
  }

  /**
   * Members who received many units (likes) in the window from few distinct members, with the
   * entries those units paid them, for an admin to reverse.
   */
  async bursts(actor: VerifiedActor, q: Req<'burstsList'>): Promise<Res<'burstsList'>> {
    this.adminOnly(actor);
    const since = new Date(this.clock.now().getTime() - q.windowMinutes * 60_000);
    const byMember = new Map<string, { rule: string; n: number; from: Set<string> }>();
    for (const u of await this.state.unitsSince(since)) {
      const key = `${u.memberId}|${u.rule}`;
      const row = byMember.get(key) ?? { rule: u.rule, n: 0, from: new Set<string>() };
      row.n += 1;
      if (u.fromMember) row.from.add(u.fromMember);
      byMember.set(key, row);
    }
    const bursts: Res<'burstsList'>['bursts'] = [];
    for (const [key, row] of byMember) {
      if (row.n < q.minEntries || row.from.size > row.n * FEW_MEMBERS_RATIO) continue;
      const memberId = key.split('|')[0] ?? '';
      const entries = (await this.ledger.since(row.rule, since)).filter(
        (e) => e.memberId === memberId && e.points > 0,
      );
      bursts.push({
        memberId,
        rule: row.rule,
        entries: row.n,
        points: entries.reduce((s, e) => s + e.points, 0),
        fromMembers: row.from.size,
        since: since.toISOString(),
        entryIds: entries.map((e) => e._id),
      });
    }
    return { bursts: bursts.sort((a, b) => b.entries - a.entries) };
  }

  /**
   * Finishes half-written entries, sets every balance that differs from its ledger sum, then the
   * leaderboard histograms from the balances.
   */
  async rebuild(actor: VerifiedActor): Promise<Res<'rebuild'>> {
    this.adminOnly(actor);
    return this.rebuildAll();
  }

  /** The rebuild itself (also run by `bin/rebuild.mjs`). */
  async rebuildAll(): Promise<Res<'rebuild'>> {
    const repaired = await this.writer.repair();
    const month = monthOf(this.clock.now());
    const sums = await this.ledger.sums(month);
    const { levels } = await this.rules.active();
    const mismatches: Res<'rebuild'>['mismatches'] = [];
    const figures = await this.balances.figures();
    for (const b of figures) {
      const sum = sums.get(b._id) ?? { total: 0, month: 0 };
      const projectedMonth = b.month === month ? b.monthPoints : 0;
      if (sum.total !== b.balance || sum.month !== projectedMonth) {
        mismatches.push({ memberId: b._id, projected: b.balance, ledger: sum.total });
        await this.balances.correct(b._id, sum.total, month, sum.month, levels);
      }
    }
    const known = new Set(figures.map((b) => b._id));
    for (const [memberId, sum] of sums) {
      if (known.has(memberId) || sum.total === 0) continue;
      mismatches.push({ memberId, projected: 0, ledger: sum.total });
    }
    await this.moves.recompute();
    return { members: figures.length, mismatches, repaired };
  }

  private adminOnly(actor: VerifiedActor): void {
    if (actor.role !== 'admin') throw new RpcFailure('FORBIDDEN', 'admins only');
  }
}

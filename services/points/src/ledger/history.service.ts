import { Injectable } from '@nestjs/common';
import { Clock, type VerifiedActor } from '@agora/platform';
import type { PointsSummary, RpcPayload, RpcResponse, pointsRpc } from '@agora/proto';
import { BalanceRepository } from '../balances/balance.repository.js';
import { monthOf, progressOf } from '../balances/levels.js';
import { RulesService } from '../rules/rules.service.js';
import { entryView } from './entry.view.js';
import { LedgerRepository } from './ledger.repository.js';

/** The member's own balance, level and history. */
@Injectable()
export class HistoryService {
  constructor(
    private readonly balances: BalanceRepository,
    private readonly ledger: LedgerRepository,
    private readonly rules: RulesService,
    private readonly clock: Clock,
  ) {}

  async summary(actor: VerifiedActor, country: string | undefined): Promise<PointsSummary> {
    const { levels } = await this.rules.active();
    if (country) await this.balances.setCountry(actor.memberId, country, levels, this.clock.now());
    const doc = await this.balances.get(actor.memberId);
    const balance = doc?.balance ?? 0;
    const { level, next, progress } = progressOf(levels, balance);
    const month = monthOf(this.clock.now());
    return {
      memberId: actor.memberId,
      balance,
      level: level.name,
      nextLevel: next ? { name: next.name, at: next.from } : null,
      progress,
      monthPoints: doc && doc.month === month ? doc.monthPoints : 0,
      levels: [...levels],
    };
  }

  async page(
    actor: VerifiedActor,
    q: RpcPayload<typeof pointsRpc.ledgerList>,
  ): Promise<RpcResponse<typeof pointsRpc.ledgerList>> {
    const docs = await this.ledger.page(actor.memberId, {
      before: q.before !== undefined ? Number(q.before) : undefined,
      limit: q.limit + 1,
      rule: q.rule,
      sign: q.sign,
    });
    const more = docs.length > q.limit;
    const shown = docs.slice(0, q.limit);
    const last = shown[shown.length - 1];
    return { entries: shown.map(entryView), nextCursor: more && last ? String(last.seq) : null };
  }
}

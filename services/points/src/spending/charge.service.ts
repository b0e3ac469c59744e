import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, type VerifiedActor } from '@agora/platform';
import type { RpcPayload, RpcResponse, pointsRpc } from '@agora/proto';
import { BalanceRepository } from '../balances/balance.repository.js';
import { EntryWriter } from '../ledger/entry-writer.service.js';
import { entryView } from '../ledger/entry.view.js';
import { LedgerRepository } from '../ledger/ledger.repository.js';

type Charge = RpcPayload<typeof pointsRpc.chargeCreate>;
type ChargeResult = RpcResponse<typeof pointsRpc.chargeCreate>;

/**
 * Spending: the balance is debited by one conditional write that refuses to go below zero, so
 * concurrent charges cannot overdraw it; the entry's key is the member's idempotency key, so a
 * retry finds the first charge and answers it again.
 */
@Injectable()
export class ChargeService {
  constructor(
    private readonly writer: EntryWriter,
    private readonly ledger: LedgerRepository,
    private readonly balances: BalanceRepository,
    private readonly clock: Clock,
  ) {}

  async charge(actor: VerifiedActor, req: Charge): Promise<ChargeResult> {
    const key = `charge:${actor.memberId}:${req.idempotencyKey}`;
    const earlier = await this.replay(key, req);
    if (earlier) return earlier;
    const { outcome, entry } = await this.writer.debit({
      _id: key,
      memberId: actor.memberId,
      rule: 'charge',
      ruleVersion: 0,
      points: -req.amount,
      sourceType: 'charge',
      sourceId: req.idempotencyKey,
      reason: req.reason,
      at: this.clock.now(),
      fromMember: null,
    });
    if (outcome.kind === 'insufficient')
      throw new RpcFailure('INSUFFICIENT_POINTS', 'the balance does not cover this charge', {
        balance: outcome.balance,
        amount: req.amount,
      });
    if (outcome.kind === 'already') {
      const again = await this.replay(key, req);
      if (again) return again;
    }
    return { entry: entryView(entry), balance: outcome.balance, replayed: false };
  }

  private async replay(key: string, req: Charge): Promise<ChargeResult | null> {
    const entry = await this.ledger.get(key);
    if (!entry) return null;
    if (entry.points !== -req.amount)
      throw new RpcFailure('CONFLICT', 'this idempotency key was used for another amount');
    const balance = entry.balanceAfter ?? (await this.balances.get(entry.memberId))?.balance ?? 0;
    return { entry: entryView(entry), balance, replayed: true };
  }
}

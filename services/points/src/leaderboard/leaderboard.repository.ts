import { Injectable } from '@nestjs/common';
import type { BalanceDoc } from '../balances/balance.schema.js';
import { BalanceRepository } from '../balances/balance.repository.js';

export type BoardField = 'kAll' | 'kMonth' | 'kCountry' | 'kCountryMonth';
export type BoardRow = Pick<BalanceDoc, '_id' | 'balance' | 'monthPoints' | 'level'> &
  Record<BoardField, number | null>;

/** Leaderboard reads: ranges of one board-key index, never a scan of the balances. */
@Injectable()
export class LeaderboardRepository {
  constructor(private readonly balances: BalanceRepository) {}

  /** Balances with keys in [from, hi), highest first. */
  range(field: BoardField, from: number, hi: number, limit: number): Promise<BoardRow[]> {
    return this.balances.model
      .find(
        { [field]: { $gte: from, $lt: hi } },
        { balance: 1, monthPoints: 1, level: 1, [field]: 1 },
      )
      .sort({ [field]: -1 })
      .limit(limit)
      .lean<BoardRow[]>()
      .exec();
  }

  /** How many keys lie in [from, hi): the members ranked above a score. */
  count(field: BoardField, from: number, hi: number): Promise<number> {
    return this.balances.model.countDocuments({ [field]: { $gte: from, $lt: hi } }).exec();
  }
}

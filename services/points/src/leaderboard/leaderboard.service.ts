import { Injectable } from '@nestjs/common';
import { Clock, type VerifiedActor } from '@agora/platform';
import type { Leaderboard } from '@agora/proto';
import { BalanceRepository } from '../balances/balance.repository.js';
import { monthOf } from '../balances/levels.js';
import { boardRange, keyAbove, pointsOfKey, prefixOf, type Board } from './board-keys.js';
import { boardIdOf, bucketOf } from './histogram-buckets.js';
import { HistogramRepository } from './histogram.repository.js';
import { LeaderboardRepository, type BoardField } from './leaderboard.repository.js';

const fieldOf: Record<Board, BoardField> = {
  all: 'kAll',
  month: 'kMonth',
  country: 'kCountry',
  'country-month': 'kCountryMonth',
};

/**
 * Top N and my rank from indexes. Top N is the board's key range read highest first with a limit
 * of N: the store walks the board-key index in order and stops after N rows, so a top 10 reads ten
 * rows whatever the board's size. My rank is 1 + the members with more points: the board's
 * histogram gives the buckets above mine, an index count the few in my bucket above me.
 */
@Injectable()
export class LeaderboardService {
  constructor(
    private readonly boards: LeaderboardRepository,
    private readonly balances: BalanceRepository,
    private readonly histograms: HistogramRepository,
    private readonly clock: Clock,
  ) {}

  async board(
    actor: VerifiedActor,
    q: { period: 'all' | 'month'; country?: string | undefined; limit: number },
  ): Promise<Leaderboard> {
    const month = monthOf(this.clock.now());
    const country = q.country ?? null;
    const board: Board = country
      ? q.period === 'month'
        ? 'country-month'
        : 'country'
      : q.period === 'month'
        ? 'month'
        : 'all';
    const field = fieldOf[board];
    const prefix = prefixOf(board, month, country);
    const { lo, hi } = boardRange(prefix);
    // The page and the viewer's balance are independent reads: one round trip's wait, not two.
    const [rows, mine] = await Promise.all([
      this.boards.range(field, lo, hi, q.limit),
      this.balances.get(actor.memberId),
    ]);

    const entries: Leaderboard['entries'] = [];
    let rank = 0;
    let previous: number | null = null;
    rows.forEach((r, i) => {
      const points = pointsOfKey(prefix, r[field] ?? lo);
      if (points !== previous) rank = i + 1;
      previous = points;
      entries.push({ rank, memberId: r._id, points, level: r.level });
    });

    let me: Leaderboard['me'] = null;
    if (mine && (!country || mine.country === country)) {
      const points =
        board === 'all' || board === 'country'
          ? mine.balance
          : mine.month === month
            ? mine.monthPoints
            : 0;
      me = {
        rank: (await this.above(boardIdOf(board, month, country), field, prefix, points)) + 1,
        points,
      };
    }
    return { period: q.period, country, month, entries, me };
  }

  /** How many members of the board have more points than `points`. */
  private async above(
    boardId: string,
    field: BoardField,
    prefix: number,
    points: number,
  ): Promise<number> {
    const [counts, inside] = await Promise.all([
      this.histograms.counts(boardId),
      this.insideAbove(field, prefix, points),
    ]);
    const { lo } = bucketOf(points);
    let above = inside;
    for (const [bucket, n] of counts) if (bucket > lo) above += n;
    return above;
  }

  /** Members in my bucket with more points than mine: keys from my points + 1 to the bucket's end. */
  private insideAbove(field: BoardField, prefix: number, points: number): Promise<number> {
    const { hi } = bucketOf(points);
    if (hi <= points + 1) return Promise.resolve(0);
    return this.boards.count(field, keyAbove(prefix, points), keyAbove(prefix, hi - 1));
  }
}

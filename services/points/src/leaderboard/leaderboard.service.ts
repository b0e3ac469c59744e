import { Injectable } from '@nestjs/common';
import { Clock, type VerifiedActor } from '@agora/platform';
import type { Leaderboard } from '@agora/proto';
import { BalanceRepository } from '../balances/balance.repository.js';
import { monthOf } from '../balances/levels.js';
import { boardRange, keyAbove, pointsOfKey, prefixOf, type Board } from './board-keys.js';
import { boardIdOf, bucketOf } from './histogram-buckets.js';
import { HistogramRepository } from './histogram.repository.js';
import { LeaderboardRepository, type BoardField } from './leaderboard.repository.js';

/** Rows read per board: the page size of the largest top N. */
const TOP = 100;

const fieldOf: Record<Board, BoardField> = {
  all: 'kAll',
  month: 'kMonth',
  country: 'kCountry',
  'country-month': 'kCountryMonth',
};

/**
 * Top N and my rank from indexes. Top N reads the key range above a threshold remembered from the
 * board's previous answer (the key of its 100th row), so it reads about 100 rows, not the board;
 * when fewer than 100 lie above it (points taken back), it reads the whole board once and
 * remembers afresh. My rank is 1 + the members with more points: the board's histogram gives
 * the buckets above mine, an index count the few in my bucket above me.
 */
@Injectable()
export class LeaderboardService {
  private readonly thresholds = new Map<string, number>();

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
    const id = `${field}:${prefix}`;
    let rows = await this.boards.range(field, this.thresholds.get(id) ?? lo, hi, TOP);
    if (rows.length < TOP && this.thresholds.has(id))
      rows = await this.boards.range(field, lo, hi, TOP);
    const last = rows[rows.length - 1];
    if (rows.length === TOP && last) this.thresholds.set(id, last[field] ?? lo);
    else this.thresholds.delete(id);

    const entries: Leaderboard['entries'] = [];
    let rank = 0;
    let previous: number | null = null;
    rows.slice(0, q.limit).forEach((r, i) => {
      const points = pointsOfKey(prefix, r[field] ?? lo);
      if (points !== previous) rank = i + 1;
      previous = points;
      entries.push({ rank, memberId: r._id, points, level: r.level });
    });

    const mine = await this.balances.get(actor.memberId);
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

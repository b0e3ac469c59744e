import type { BalanceDoc } from '../balances/balance.schema.js';

/**
 * Points buckets of the leaderboard histograms: one bucket per point up to 255 (where most members
 * are, and ties are common), then 128 buckets per doubling, so a bucket holds few members at any
 * height and "how many in my bucket have more than me" is a short index count.
 */
const EXACT_BELOW = 256;
const PER_DOUBLING = 128;

/** The bucket holding `points`: [lo, hi). Negative points mirror the positive ones. */
export function bucketOf(points: number): { lo: number; hi: number } {
  const p = Math.floor(points);
  if (p < 0) {
    const mirror = bucketOf(-p);
    return { lo: -mirror.hi + 1, hi: -mirror.lo + 1 };
  }
  if (p < EXACT_BELOW) return { lo: p, hi: p + 1 };
  const width = 2 ** (Math.floor(Math.log2(p)) - Math.log2(PER_DOUBLING));
  const lo = Math.floor(p / width) * width;
  return { lo, hi: lo + width };
}

/** The histogram document of each board: `all`, `month:<YYYY-MM>`, `country:<CC>`, `cm:<CC>:<YYYY-MM>`. */
export function boardIdOf(
  board: 'all' | 'month' | 'country' | 'country-month',
  month: string,
  country: string | null,
): string {
  switch (board) {
    case 'all':
      return 'all';
    case 'month':
      return `month:${month}`;
    case 'country':
      return `country:${country ?? ''}`;
    case 'country-month':
      return `cm:${country ?? ''}:${month}`;
  }
}

type Figures = Pick<BalanceDoc, 'balance' | 'month' | 'monthPoints' | 'country'>;

/** The (board, bucket) cells a balance is counted in: the boards its keys put it on. */
export function cellsOf(f: Figures): string[] {
  const cells = [
    `${boardIdOf('all', f.month, null)}|${bucketOf(f.balance).lo}`,
    `${boardIdOf('month', f.month, null)}|${bucketOf(f.monthPoints).lo}`,
  ];
  if (f.country) {
    cells.push(`${boardIdOf('country', f.month, f.country)}|${bucketOf(f.balance).lo}`);
    cells.push(`${boardIdOf('country-month', f.month, f.country)}|${bucketOf(f.monthPoints).lo}`);
  }
  return cells;
}

/** One histogram change: `n` members more (or fewer) in bucket `lo` of `board`. */
export type Move = [board: string, lo: number, n: number];

/** What a balance going from `before` (null: none yet) to `after` moves in the histograms. */
export function movesBetween(before: Figures | null, after: Figures): Move[] {
  const delta = new Map<string, number>();
  for (const c of before ? cellsOf(before) : []) delta.set(c, (delta.get(c) ?? 0) - 1);
  for (const c of cellsOf(after)) delta.set(c, (delta.get(c) ?? 0) + 1);
  return toMoves(delta);
}

/** Many members' moves summed into one per cell (zeros dropped). */
export function sumMoves(lists: readonly (readonly Move[])[]): Move[] {
  const delta = new Map<string, number>();
  for (const list of lists)
    for (const [board, lo, n] of list)
      delta.set(`${board}|${lo}`, (delta.get(`${board}|${lo}`) ?? 0) + n);
  return toMoves(delta);
}

function toMoves(delta: Map<string, number>): Move[] {
  const out: Move[] = [];
  for (const [cell, n] of delta) {
    if (n === 0) continue;
    const cut = cell.lastIndexOf('|');
    out.push([cell.slice(0, cut), Number(cell.slice(cut + 1)), n]);
  }
  return out;
}

/**
 * Leaderboard keys: one indexed number per board, so that a board is a range of one index (the
 * store walks the index only on its leading field). A key is
 * `prefix × SPAN + (points + OFFSET) + tieBreak`, where the prefix names the month and/or the
 * country, and `tieBreak ∈ [0, 1)` comes from the member id so that equal points still have
 * distinct keys (a top-N range stays about N long however many members tie).
 */
const SPAN = 2 ** 24;
const OFFSET = 2 ** 22;
const EPOCH_YEAR = 2020;

export type Board = 'all' | 'month' | 'country' | 'country-month';

/** Months since January 2020 of `YYYY-MM`. */
export function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return ((y ?? EPOCH_YEAR) - EPOCH_YEAR) * 12 + ((m ?? 1) - 1);
}

/** 0..675 for `AA`..`ZZ`. */
export function countryIndex(country: string): number {
  return (country.charCodeAt(0) - 65) * 26 + (country.charCodeAt(1) - 65);
}

export function prefixOf(board: Board, month: string, country: string | null): number {
  switch (board) {
    case 'all':
      return 0;
    case 'month':
      return monthIndex(month);
    case 'country':
      return countryIndex(country ?? 'AA');
    case 'country-month':
      return countryIndex(country ?? 'AA') * 1200 + monthIndex(month);
  }
}

/**
 * A stable fraction in [0, 0.99) from a 24-hex member id (its last 5 hex digits). Below 0.99 so
 * that a large prefix's coarser double (2^-8 at the largest) never rounds it up to the next point.
 */
export function tieBreak(memberId: string): number {
  const n = Number.parseInt(memberId.slice(-5), 16);
  return Number.isFinite(n) ? (n / 2 ** 20) * 0.99 : 0;
}

function clampPoints(points: number): number {
  return Math.max(-OFFSET, Math.min(SPAN - OFFSET - 1, points));
}

export function boardKey(prefix: number, points: number, memberId: string): number {
  return prefix * SPAN + clampPoints(points) + OFFSET + tieBreak(memberId);
}

/** The range of one board's keys: [lo, hi). */
export function boardRange(prefix: number): { lo: number; hi: number } {
  return { lo: prefix * SPAN, hi: (prefix + 1) * SPAN };
}

/** Keys of members with more points than `points` on that board: [above, hi). */
export function keyAbove(prefix: number, points: number): number {
  return prefix * SPAN + clampPoints(points) + 1 + OFFSET;
}

/** Points back from a key. */
export function pointsOfKey(prefix: number, key: number): number {
  return Math.floor(key - prefix * SPAN) - OFFSET;
}

import { pendingEvent, type PendingEvent } from '@agora/platform';
import { pointsEvents, type Level } from '@agora/proto';
import { boardKey, prefixOf } from '../leaderboard/board-keys.js';
import type { BalanceDoc } from './balance.schema.js';
import { levelOf, monthOf } from './levels.js';

/** How many applied keys a balance remembers: far more than can arrive between two steps of one apply. */
export const RECENT_KEYS = 500;

/** What one entry does to a balance. */
export interface Change {
  key: string;
  memberId: string;
  rule: string;
  points: number;
  sourceType: string;
  sourceId: string;
  at: Date;
}

export type ApplyOutcome =
  | { kind: 'applied'; balance: number }
  | { kind: 'already'; balance: number }
  | { kind: 'insufficient'; balance: number };

/** The figures of a balance that changes move. */
export type BalanceFigures = Pick<
  BalanceDoc,
  'balance' | 'level' | 'month' | 'monthPoints' | 'country' | 'recent'
>;

/** Keys of every board a balance is on. */
export function keysOf(
  memberId: string,
  balance: number,
  month: string,
  monthPoints: number,
  country: string | null,
): Pick<BalanceDoc, 'kAll' | 'kMonth' | 'kCountry' | 'kCountryMonth'> {
  return {
    kAll: boardKey(0, balance, memberId),
    kMonth: boardKey(prefixOf('month', month, null), monthPoints, memberId),
    kCountry: country ? boardKey(prefixOf('country', month, country), balance, memberId) : null,
    kCountryMonth: country
      ? boardKey(prefixOf('country-month', month, country), monthPoints, memberId)
      : null,
  };
}

/** The figures of a member with no balance yet. */
export function emptyFigures(levels: readonly Level[], at: Date): BalanceFigures {
  return {
    balance: 0,
    level: levelOf(levels, 0).name,
    month: monthOf(at),
    monthPoints: 0,
    country: null,
    recent: [],
  };
}

/** What applying changes in order does: the figures after, each change's outcome, the events. */
export interface Applied {
  figures: BalanceFigures;
  /** Per change, in order: applied, or already held (its key is among the recent ones, or repeated). */
  outcomes: ApplyOutcome[];
  /** Keys of the changes applied now. */
  keys: string[];
  events: PendingEvent[];
}

/**
 * Applies `changes` (one member's) in order, in memory: a change whose key the balance already
 * holds, or that repeats an earlier one, does nothing. Each applied change carries its
 * `points.awarded` event (with the balance right after it) and, when it moves the level, a
 * `level.changed`. `guard`: a debit that would take the balance below zero is refused.
 */
export function applyChanges(
  before: BalanceFigures,
  memberId: string,
  changes: readonly Change[],
  levels: readonly Level[],
  guard = false,
): Applied {
  let { balance, level, month, monthPoints } = before;
  const seen = new Set(before.recent);
  const outcomes: ApplyOutcome[] = [];
  const keys: string[] = [];
  const events: PendingEvent[] = [];
  for (const change of changes) {
    if (seen.has(change.key)) {
      outcomes.push({ kind: 'already', balance });
      continue;
    }
    const next = balance + change.points;
    if (guard && change.points < 0 && next < 0) {
      outcomes.push({ kind: 'insufficient', balance });
      continue;
    }
    seen.add(change.key);
    keys.push(change.key);
    const entryMonth = monthOf(change.at);
    if (entryMonth === month) monthPoints += change.points;
    else if (entryMonth > month) {
      month = entryMonth;
      monthPoints = change.points;
    }
    const nextLevel = levelOf(levels, next).name;
    events.push(
      pendingEvent(pointsEvents.pointsAwarded, null, memberId, {
        memberId,
        entryId: change.key,
        rule: change.rule,
        points: change.points,
        balance: next,
        sourceType: change.sourceType as never,
        sourceId: change.sourceId,
      }),
    );
    if (nextLevel !== level)
      events.push(
        pendingEvent(pointsEvents.levelChanged, null, memberId, {
          memberId,
          level: nextLevel,
          previous: level,
          direction: next > balance ? 'up' : 'down',
          balance: next,
        }),
      );
    balance = next;
    level = nextLevel;
    outcomes.push({ kind: 'applied', balance });
  }
  const recent = [...before.recent, ...keys].slice(-RECENT_KEYS);
  return {
    figures: { balance, level, month, monthPoints, country: before.country, recent },
    outcomes,
    keys,
    events,
  };
}

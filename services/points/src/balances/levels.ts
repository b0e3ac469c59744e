import type { Level } from '@agora/proto';

/** The level a balance holds: the highest threshold it reaches. */
export function levelOf(levels: readonly Level[], balance: number): Level {
  let current = levels[0] ?? { name: 'Newcomer', from: 0 };
  for (const l of levels) if (balance >= l.from) current = l;
  return current;
}

/** Progress from the current level to the next (null at the top), 0..100. */
export function progressOf(
  levels: readonly Level[],
  balance: number,
): { level: Level; next: Level | null; progress: number } {
  const level = levelOf(levels, balance);
  const next = levels.find((l) => l.from > level.from) ?? null;
  if (!next) return { level, next, progress: 100 };
  const span = next.from - level.from;
  const progress = Math.max(0, Math.min(100, Math.floor(((balance - level.from) / span) * 100)));
  return { level, next, progress };
}

/** `YYYY-MM` in UTC. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** `YYYY-MM-DD` in UTC. */
export function utcDayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

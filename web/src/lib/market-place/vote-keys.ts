import { newId } from '$lib/collab/ids.js';

/**
 * Dots a member means to give, each with its own idempotency key, kept in sessionStorage until the
 * server acknowledges it. The key is made once per intended dot, before the request: a retry after
 * a lost answer, a reload mid-request or a duplicated tab (which copies sessionStorage) sends the
 * same key again and the server counts it once. A second click on a target whose dot is still on
 * its way is the same intention (a double click), not a second dot.
 */

/** What a dot is given to: a pitch, or one of its cards. */
export interface DotTarget {
  pitchIndex: number;
  cardId?: string;
}

export interface PendingDot {
  key: string;
  target: DotTarget;
  /** When it was intended (ms since the epoch), to send the oldest first. */
  intendedAt: number;
}

/** The part of `Storage` this uses (a `Map`-backed fake in specs). */
export interface DotStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function sameTarget(a: DotTarget, b: DotTarget): boolean {
  return a.pitchIndex === b.pitchIndex && (a.cardId ?? null) === (b.cardId ?? null);
}

function readTarget(value: unknown): DotTarget | null {
  if (typeof value !== 'object' || value === null) return null;
  const { pitchIndex, cardId } = value as { pitchIndex?: unknown; cardId?: unknown };
  if (typeof pitchIndex !== 'number' || !Number.isInteger(pitchIndex) || pitchIndex < 0)
    return null;
  if (cardId === undefined) return { pitchIndex };
  return typeof cardId === 'string' && cardId.length > 0 ? { pitchIndex, cardId } : null;
}

function readPending(raw: string | null): PendingDot[] {
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const dots: PendingDot[] = [];
  for (const entry of parsed as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { key, target, intendedAt } = entry as Record<string, unknown>;
    const readable = readTarget(target);
    if (typeof key !== 'string' || key.length === 0 || !readable) continue;
    dots.push({
      key,
      target: readable,
      intendedAt: typeof intendedAt === 'number' ? intendedAt : 0,
    });
  }
  return dots.sort((a, b) => a.intendedAt - b.intendedAt);
}

/** The storage key: per member (a shared computer) and per session. */
export function dotStorageKey(memberId: string, sessionId: string): string {
  return `agora:dots:${memberId}:${sessionId}`;
}

export class DotIntentions {
  readonly #storage: DotStorage | null;
  readonly #key: string;
  readonly #makeKey: () => string;
  /** Kept in memory too, so a tab without sessionStorage still dedupes its own retries. */
  #pending: PendingDot[];

  constructor(
    storage: DotStorage | null,
    scope: { memberId: string; sessionId: string },
    makeKey: () => string = newId,
  ) {
    this.#storage = storage;
    this.#key = dotStorageKey(scope.memberId, scope.sessionId);
    this.#makeKey = makeKey;
    this.#pending = readPending(this.#read());
  }

  #read(): string | null {
    try {
      return this.#storage?.getItem(this.#key) ?? null;
    } catch {
      return null;
    }
  }

  #write(): void {
    try {
      if (this.#pending.length === 0) this.#storage?.removeItem(this.#key);
      else this.#storage?.setItem(this.#key, JSON.stringify(this.#pending));
    } catch {
      // Storage full or refused: the in-memory copy still dedupes this tab's retries.
    }
  }

  /** Dots not acknowledged yet, oldest first (to send again after a reload). */
  pending(): PendingDot[] {
    return [...this.#pending];
  }

  /** The dot for `target` still on its way, if any. */
  pendingFor(target: DotTarget): PendingDot | undefined {
    return this.#pending.find((dot) => sameTarget(dot.target, target));
  }

  /**
   * One intended dot on `target`: the one already on its way when there is one (a double click
   * gives one dot), else a new one with a fresh key, stored before any request is made.
   */
  intend(target: DotTarget, now: number = Date.now()): { dot: PendingDot; fresh: boolean } {
    const existing = this.pendingFor(target);
    if (existing) return { dot: existing, fresh: false };
    const dot: PendingDot = { key: this.#makeKey(), target, intendedAt: now };
    this.#pending.push(dot);
    this.#write();
    return { dot, fresh: true };
  }

  /** The server counted it (or had already): forget the key. */
  settle(key: string): void {
    const before = this.#pending.length;
    this.#pending = this.#pending.filter((dot) => dot.key !== key);
    if (this.#pending.length !== before) this.#write();
  }

  /** Keys the server lists as counted for this member: settled, whatever this tab remembers. */
  settleCounted(keys: Iterable<string>): void {
    const counted = new Set(keys);
    const before = this.#pending.length;
    this.#pending = this.#pending.filter((dot) => !counted.has(dot.key));
    if (this.#pending.length !== before) this.#write();
  }

  /** Nothing more can be counted (the vote closed): forget every intention. */
  clear(): void {
    this.#pending = [];
    this.#write();
  }
}

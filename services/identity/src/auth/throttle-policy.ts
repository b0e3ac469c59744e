/** How failed sign-ins slow down further attempts for one key (an address, an account, or both). */
export interface ThrottleRule {
  /** Failures allowed before any lock. */
  readonly freeFailures: number;
  /** Longest lock, seconds. */
  readonly maxLockSeconds: number;
  /** Failures are forgotten this long after the last one, seconds. */
  readonly memorySeconds: number;
}

export const throttleRules = {
  /**
   * Per account and address (normalised email, whether or not it exists, with the client's IP):
   * the strict lock, so guessing from one place stops fast while the owner elsewhere still gets in.
   */
  pair: { freeFailures: 5, maxLockSeconds: 15 * 60, memorySeconds: 24 * 3600 },
  /** Per IP: higher, since many people can share one address (a campus, a NAT). */
  ip: { freeFailures: 20, maxLockSeconds: 15 * 60, memorySeconds: 3600 },
  /**
   * Per account from every address (guessing spread over many IPs): many failures first, and only
   * a short delay, never a lockout: nobody can keep the owner out by failing on purpose.
   */
  account: { freeFailures: 50, maxLockSeconds: 30, memorySeconds: 3600 },
  /** Password re-checks by a signed-in member (no IP at hand): per account, strict. */
  recheck: { freeFailures: 5, maxLockSeconds: 15 * 60, memorySeconds: 24 * 3600 },
} as const satisfies Record<string, ThrottleRule>;

/**
 * Lock after the `failures`-th failure: none up to `freeFailures - 1`, then 2, 4, 8 … seconds
 * (doubling with each further failure), capped at `maxLockSeconds`.
 */
export function lockSeconds(failures: number, rule: ThrottleRule): number {
  if (failures < rule.freeFailures) return 0;
  const n = failures - rule.freeFailures + 1;
  // 2^n grows past any cap quickly; stop before floating point gets silly.
  if (n >= 30) return rule.maxLockSeconds;
  return Math.min(2 ** n, rule.maxLockSeconds);
}

/** Whole seconds until `lockedUntil` (at least 1 while locked), or 0 when not locked. */
export function retryAfterSeconds(lockedUntil: Date | null, now: Date): number {
  if (!lockedUntil) return 0;
  const ms = lockedUntil.getTime() - now.getTime();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

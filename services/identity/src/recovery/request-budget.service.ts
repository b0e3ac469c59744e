import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure } from '@agora/platform';
import { ThrottleRepository } from '../auth/throttle.repository.js';

/** How many requests one key may make in a window (the window restarts with each request). */
export interface Budget {
  readonly limit: number;
  readonly windowSeconds: number;
}

const HOUR = 3600;

export const budgets = {
  /** Sign-ups, reset requests: per address (whether or not it has an account) — mail bombing. */
  perAddress: { limit: 5, windowSeconds: HOUR },
  /** The same requests per client IP (many people can share one). */
  perIp: { limit: 30, windowSeconds: HOUR },
  /** A signed-in member's verification resends and email changes. */
  perMember: { limit: 5, windowSeconds: HOUR },
} as const satisfies Record<string, Budget>;

/**
 * Counts requests that send mail, by key (stored hashed, in the login throttle's collection), and
 * refuses with RATE_LIMITED and `retryAfterSeconds` past the budget. Every key is counted whether
 * or not the address behind it has an account, so a refusal tells nothing about it.
 */
@Injectable()
export class RequestBudget {
  constructor(
    private readonly counters: ThrottleRepository,
    private readonly clock: Clock,
  ) {}

  async take(keys: readonly { key: string; budget: Budget }[]): Promise<void> {
    const now = this.clock.now();
    let over = 0;
    for (const { key, budget } of keys) {
      const expiresAt = new Date(now.getTime() + budget.windowSeconds * 1000);
      const count = await this.counters.addFailure(`budget:${key}`, now, expiresAt);
      if (count > budget.limit) over = Math.max(over, budget.windowSeconds);
    }
    if (over > 0)
      throw new RpcFailure('RATE_LIMITED', 'too many requests; wait before trying again', {
        retryAfterSeconds: over,
      });
  }
}

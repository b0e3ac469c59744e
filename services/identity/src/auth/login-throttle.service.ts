import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_LOGGER, RpcFailure, type Logger, Clock } from '@agora/platform';
import {
  lockSeconds,
  retryAfterSeconds,
  throttleRules,
  type ThrottleRule,
} from './throttle-policy.js';
import { ThrottleRepository } from './throttle.repository.js';

interface Key {
  key: string;
  rule: ThrottleRule;
}

function keysFor(email: string, ip: string): Key[] {
  return [
    { key: `pair:${ip}|${email}`, rule: throttleRules.pair },
    { key: `ip:${ip}`, rule: throttleRules.ip },
    { key: `account:${email}`, rule: throttleRules.account },
  ];
}

/**
 * Growing delays after failed sign-ins (OWASP Authentication Cheat Sheet, "Account lockout"): the
 * strict lock is per account *and* address, so failures from an attacker's address never lock the
 * owner out of their own; per address alone against one IP trying many accounts; per account alone
 * only a short delay after many failures from everywhere (spread-out guessing).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly throttles: ThrottleRepository,
    private readonly clock: Clock,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  /** Refuses with RATE_LIMITED (and `retryAfterSeconds`) while the account or the IP is locked. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const now = this.clock.now();
    const states = await this.throttles.states(
      keysFor(email, ip).map((k) => k.key),
      now,
    );
    const wait = Math.max(0, ...states.map((s) => retryAfterSeconds(s.lockedUntil, now)));
    if (wait > 0) {
      throw new RpcFailure('RATE_LIMITED', 'too many failed sign-ins; wait before trying again', {
        retryAfterSeconds: wait,
      });
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const now = this.clock.now();
    for (const { key, rule } of keysFor(email, ip)) await this.fail(key, rule, now);
  }

  private async fail(key: string, rule: ThrottleRule, now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + rule.memorySeconds * 1000);
    const failures = await this.throttles.addFailure(key, now, expiresAt);
    const seconds = lockSeconds(failures, rule);
    if (seconds > 0) {
      const until = new Date(now.getTime() + seconds * 1000);
      await this.throttles.lock(
        key,
        until,
        new Date(Math.max(expiresAt.getTime(), until.getTime())),
      );
    }
  }

  /** Account-only check, for password re-checks made by a signed-in member (no IP at hand). */
  async assertAccountAllowed(email: string): Promise<void> {
    const now = this.clock.now();
    const [state] = await this.throttles.states([`recheck:${email}`], now);
    const wait = retryAfterSeconds(state?.lockedUntil ?? null, now);
    if (wait > 0) {
      throw new RpcFailure('RATE_LIMITED', 'too many wrong passwords; wait before trying again', {
        retryAfterSeconds: wait,
      });
    }
  }

  async recordAccountFailure(email: string): Promise<void> {
    await this.fail(`recheck:${email}`, throttleRules.recheck, this.clock.now());
  }

  async recordAccountSuccess(email: string): Promise<void> {
    await this.throttles.clear(`recheck:${email}`);
  }

  /**
   * A successful sign-in clears the account's counts from this address and from everywhere (not the
   * IP's: one good account must not unlock an address trying many).
   */
  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.throttles.clear(`pair:${ip}|${email}`);
    await this.throttles.clear(`account:${email}`);
  }
}

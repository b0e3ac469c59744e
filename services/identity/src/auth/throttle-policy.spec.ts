import { describe, expect, it } from 'vitest';
import { lockSeconds, retryAfterSeconds, throttleRules } from './throttle-policy.js';

describe('lockSeconds', () => {
  const rule = throttleRules.pair;

  it('does not lock before the fifth failure', () => {
    for (let f = 0; f < 5; f += 1) expect(lockSeconds(f, rule)).toBe(0);
  });

  it('doubles the lock with every further failure', () => {
    expect([5, 6, 7, 8, 9].map((f) => lockSeconds(f, rule))).toEqual([2, 4, 8, 16, 32]);
  });

  it('caps the lock at 15 minutes, however many failures', () => {
    expect(lockSeconds(14, rule)).toBe(900);
    expect(lockSeconds(1_000, rule)).toBe(900);
  });

  it('allows more failures per IP than per account and address', () => {
    expect(lockSeconds(19, throttleRules.ip)).toBe(0);
    expect(lockSeconds(20, throttleRules.ip)).toBe(2);
  });

  it('only delays an account failing from everywhere, briefly, never locks it out', () => {
    expect(lockSeconds(49, throttleRules.account)).toBe(0);
    expect(lockSeconds(50, throttleRules.account)).toBe(2);
    expect(lockSeconds(10_000, throttleRules.account)).toBe(30);
  });
});

describe('retryAfterSeconds', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it('rounds up to whole seconds while locked', () => {
    expect(retryAfterSeconds(new Date(now.getTime() + 1_200), now)).toBe(2);
    expect(retryAfterSeconds(new Date(now.getTime() + 1), now)).toBe(1);
  });

  it('is zero when there is no lock or it has passed', () => {
    expect(retryAfterSeconds(null, now)).toBe(0);
    expect(retryAfterSeconds(new Date(now.getTime() - 5), now)).toBe(0);
    expect(retryAfterSeconds(now, now)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket.js';
import { RateLimits } from './rate-limits.js';
import { ApiError } from '../http/api-error.js';

describe('TokenBuckets', () => {
  it('allows a burst, then refuses with Retry-After until tokens come back', () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 3, perSecond: 0.5 }, () => now);
    expect([1, 2, 3].map(() => b.take('k').allowed)).toEqual([true, true, true]);
    const refused = b.take('k');
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBe(2);
    now += 1_999;
    expect(b.take('k').allowed).toBe(false);
    now += 1;
    expect(b.take('k').allowed).toBe(true);
  });

  it('keeps keys apart and never refills past the burst', () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 2, perSecond: 1 }, () => now);
    b.take('a');
    b.take('a');
    expect(b.take('a').allowed).toBe(false);
    expect(b.take('b').allowed).toBe(true);
    now += 60_000;
    expect(b.take('a').remaining).toBe(1);
  });

  it('bounds its memory', () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 1, perSecond: 1 }, () => now, 100);
    for (let i = 0; i < 1_000; i += 1) {
      now += 1;
      b.take(`k${i}`);
    }
    expect(b.size).toBeLessThanOrEqual(100);
  });
});

describe('RateLimits', () => {
  it('throws RATE_LIMITED with Retry-After per IP and per member', () => {
    const limits = new RateLimits(
      {
        RATE_LIMIT_IP_BURST: 1,
        RATE_LIMIT_IP_PER_SEC: 1,
        RATE_LIMIT_MEMBER_BURST: 1,
        RATE_LIMIT_MEMBER_PER_SEC: 0.1,
        RATE_LIMIT_SOCKET_BURST: 1,
        RATE_LIMIT_SOCKET_PER_SEC: 1,
      },
      () => 0,
    );
    limits.checkIp('1.2.3.4');
    expect(() => limits.checkIp('1.2.3.4')).toThrow(ApiError);
    limits.checkIp('5.6.7.8');
    limits.checkMember('m1');
    try {
      limits.checkMember('m1');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(429);
      expect((err as ApiError).headers['Retry-After']).toBe('10');
    }
  });
});

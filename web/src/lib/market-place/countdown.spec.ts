import { describe, expect, it } from 'vitest';
import { clockOffsetMs, formatCountdown, remainingMs } from './countdown.js';

describe('the countdown follows the server clock', () => {
  it('takes the server time at the middle of the round trip', () => {
    // Sent at local 1000, answered at local 1200, the server said 10_100: it is 9_000 ms ahead.
    expect(clockOffsetMs(new Date(10_100).toISOString(), 1000, 1200)).toBe(9000);
  });

  it('ignores an unreadable server time rather than trusting garbage', () => {
    expect(clockOffsetMs('not a date', 1000, 1200)).toBe(0);
  });

  it('counts down from endsAt minus server now, whatever the local clock says', () => {
    const endsAt = '2026-12-01T15:00:30.000Z';
    const serverNow = Date.parse('2026-12-01T15:00:00.000Z');
    // This browser's clock is an hour behind.
    const localNow = serverNow - 3_600_000;
    const offset = serverNow - localNow;
    expect(remainingMs(endsAt, offset, localNow)).toBe(30_000);
    expect(remainingMs(endsAt, offset, localNow + 10_000)).toBe(20_000);
  });

  it('stops at zero and has nothing to count without a deadline', () => {
    expect(remainingMs('2026-12-01T15:00:00.000Z', 0, Date.parse('2026-12-01T15:01:00Z'))).toBe(0);
    expect(remainingMs(null, 0, 0)).toBeNull();
    expect(remainingMs('garbage', 0, 0)).toBeNull();
  });

  it('shows minutes and seconds, rounded up so the last second still reads 0:01', () => {
    expect(formatCountdown(90_000)).toBe('1:30');
    expect(formatCountdown(400)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5)).toBe('0:00');
    expect(formatCountdown(3_725_000)).toBe('1:02:05');
  });
});

import { describe, expect, it } from 'vitest';
import { RateBucket } from './rate-bucket.js';

describe('RateBucket', () => {
  it('allows a burst, then refuses until time refills it', () => {
    const bucket = new RateBucket(10, 5, 0);
    for (let i = 0; i < 5; i += 1) expect(bucket.take(1, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    // 10 per second: one token per 100 ms.
    expect(bucket.take(1, 50)).toBe(false);
    expect(bucket.take(1, 100)).toBe(true);
    expect(bucket.take(1, 100)).toBe(false);
  });

  it('never holds more than the burst however long it idles', () => {
    const bucket = new RateBucket(1000, 3, 0);
    expect(bucket.take(3, 60_000)).toBe(true);
    expect(bucket.take(1, 60_000)).toBe(false);
  });

  it('refuses a take larger than what is left without spending anything', () => {
    const bucket = new RateBucket(1, 100, 0);
    expect(bucket.take(60, 0)).toBe(true);
    expect(bucket.take(50, 0)).toBe(false);
    expect(bucket.take(40, 0)).toBe(true);
  });

  it('with the defaults lets 25k updates/s through for seconds and stops a flood of many times that', () => {
    // COLLAB_RATE_MESSAGES_PER_S 100_000, burst 200_000 (the README's defaults).
    const steady = new RateBucket(100_000, 200_000, 0);
    let refused = 0;
    for (let ms = 0; ms < 10_000; ms += 1)
      for (let i = 0; i < 25; i += 1) if (!steady.take(1, ms)) refused += 1;
    expect(refused).toBe(0);
    // The whole trace (259,778 updates) pushed at 150k/s by a writer faster than the trace's pace.
    const fast = new RateBucket(100_000, 200_000, 0);
    let sent = 0;
    let refusedFast = 0;
    for (let ms = 0; sent < 259_778; ms += 1)
      for (let i = 0; i < 150; i += 1, sent += 1) if (!fast.take(1, ms)) refusedFast += 1;
    expect(refusedFast).toBe(0);
    const flood = new RateBucket(100_000, 200_000, 0);
    let first = -1;
    for (let ms = 0; ms < 2_000 && first < 0; ms += 1)
      for (let i = 0; i < 1_000; i += 1) if (!flood.take(1, ms)) first = ms;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(1_000);
  });
});

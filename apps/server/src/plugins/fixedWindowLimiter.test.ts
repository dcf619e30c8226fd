import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter } from './rateLimitPlugin.ts';

describe('FixedWindowLimiter', () => {
  it('allows `points` per window from a key’s first request, counts refused requests too, and keeps keys apart', () => {
    let now = 1_000;
    const limiter = new FixedWindowLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.consume('a', 1))).toEqual([0, 0, 0]);
    now += 10_000;
    expect(limiter.consume('a', 1)).toBe(50_000); // until the window that opened at 1,000 ends
    expect(limiter.consume('b', 2)).toBe(0);
    expect(limiter.consume('b', 2)).toBe(60_000); // 2 + 2 > 3
    now = 61_000;
    expect(limiter.consume('a', 1)).toBe(0); // a new window
    expect(limiter.consume('b', 1)).toBe(10_000); // b's window opened at 11,000, and its refused points count
  });

  it('forgets expired windows', () => {
    let now = 0;
    const limiter = new FixedWindowLimiter(1, 1_000, () => now);
    for (let i = 0; i < 100; i++) limiter.consume(`k${i}`, 1);
    now = 5_000;
    expect(limiter.consume('k0', 1)).toBe(0);
    expect(limiter.consume('k0', 1)).toBe(1_000);
  });
});

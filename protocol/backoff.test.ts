import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('reconnect backoff', () => {
  it('waits anywhere from nothing up to the ceiling of the attempt (full jitter)', () => {
    expect(backoffDelay(0, () => 0)).toBe(0);
    expect(backoffDelay(0, () => 0.5)).toBe(250);
    expect(backoffDelay(0, () => 0.999_999)).toBeLessThan(500);
    expect(backoffDelay(0, () => 0.999_999)).toBeGreaterThan(499.99);
  });

  it('doubles the ceiling with every failed attempt', () => {
    const ceilings = [0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, () => 1));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('never waits longer than 30 seconds, however many attempts failed', () => {
    expect(backoffDelay(6, () => 1)).toBe(30_000);
    expect(backoffDelay(50, () => 1)).toBe(30_000);
    expect(backoffDelay(50, () => 0.5)).toBe(15_000);
  });

  it('uses Math.random when no random source is given', () => {
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(3);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(4000);
    }
  });
});

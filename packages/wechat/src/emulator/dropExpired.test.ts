import { describe, expect, it } from 'vitest';
import { dropExpired } from './dropExpired.ts';

const entries = (...expiries: number[]) => new Map(expiries.map((expiresAt, i) => [`code-${i}`, { expiresAt }]));

describe('dropExpired', () => {
  it('drops the entries that have expired and keeps the live ones', () => {
    const codes = entries(100, 200, 300, 400);
    dropExpired(codes, 250);
    expect([...codes.keys()]).toEqual(['code-2', 'code-3']);
  });

  it('drops an entry at the moment it expires', () => {
    const codes = entries(100, 200);
    dropExpired(codes, 100);
    expect([...codes.keys()]).toEqual(['code-1']);
  });

  it('stops at the first live entry: one out of order waits for its turn', () => {
    const codes = entries(100, 500, 200);
    dropExpired(codes, 300);
    expect([...codes.keys()]).toEqual(['code-1', 'code-2']);
    dropExpired(codes, 600);
    expect(codes.size).toBe(0);
  });

  it('empties a map of expired entries and leaves an empty one alone', () => {
    const codes = entries(1, 2, 3);
    dropExpired(codes, 10);
    expect(codes.size).toBe(0);
    dropExpired(codes, 10);
    expect(codes.size).toBe(0);
  });
});

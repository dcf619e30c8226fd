import { describe, expect, it } from 'vitest';
import { formatFen, formatTime, statusText } from './format.ts';

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [10, '¥0.10'],
    [199, '¥1.99'],
    [123_456, '¥1,234.56'],
    [100_000_000, '¥1,000,000.00'],
    [-250, '-¥2.50'],
  ])('%i fen is %s', (fen, text) => expect(formatFen(fen)).toBe(text));
});

describe('formatTime', () => {
  it('formats in local time, minutes precision', () => {
    const date = new Date(2026, 0, 5, 7, 8, 9);
    expect(formatTime(date.toISOString())).toBe('2026-01-05 07:08');
  });
});

it('names every order status in Chinese', () => {
  expect(Object.keys(statusText).sort()).toEqual(['CANCELLED', 'COMPLETED', 'PAID', 'PENDING', 'SHIPPED']);
});

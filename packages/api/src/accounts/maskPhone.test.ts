import { describe, expect, it } from 'vitest';
import { maskPhone } from './maskPhone.ts';

describe('maskPhone', () => {
  it.each([
    ['13800138000', '138****8000'],
    ['91234567', '912*4567'],
    ['6512345678901', '651******8901'],
    ['1234567', '*****67'],
    ['12', '12'],
  ])('%s → %s', (digits, masked) => {
    expect(maskPhone(digits)).toBe(masked);
    expect(maskPhone(digits)).toHaveLength(digits.length);
  });

  it('never shows more than 7 digits of a long number', () => {
    expect(maskPhone('13800138000').replace(/\*/g, '')).toHaveLength(7);
  });
});

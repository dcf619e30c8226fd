import { describe, expect, it } from 'vitest';
import { phoneCodeOf } from './phoneCodeOf.ts';

describe('phoneCodeOf', () => {
  it('answers the code of an accepted getPhoneNumber', () => {
    expect(phoneCodeOf({ errMsg: 'getPhoneNumber:ok', code: 'abc123' })).toBe('abc123');
    expect(phoneCodeOf({ code: 'abc123' })).toBe('abc123');
  });

  it.each([
    [{ errMsg: 'getPhoneNumber:fail user deny' }],
    [{ errMsg: 'getPhoneNumber:fail:user deny', code: 'abc' }],
    [{ errMsg: 'getPhoneNumber:fail no permission' }],
    [{ errMsg: 'getPhoneNumber:ok', code: '' }],
    [{ errMsg: 'getPhoneNumber:ok' }],
    [{}],
    [null],
    [undefined],
  ])('answers null when there is nothing to send: %j', (detail) => {
    expect(phoneCodeOf(detail)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError } from '../ApiError.ts';
import { decodeOrderCursor, encodeOrderCursor } from './orderCursor.ts';

const position = { createdAt: new Date('2026-11-25T10:00:00.123Z'), id: '0b4d7c1e-5d2f-4b1a-9f3e-2c8d6a7b9e10' };

const reason = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return error instanceof ApiError ? `${error.code} ${error.reason}` : String(error);
  }
};

describe('order cursors', () => {
  it('round-trip for the user they were issued to', () => {
    const cursor = encodeOrderCursor('user-a', position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeOrderCursor('user-a', cursor)).toEqual(position);
  });

  it("refuse another user's cursor, an edited one and garbage with BAD_REQUEST", () => {
    const cursor = encodeOrderCursor('user-a', position);
    const edited = Buffer.from(Buffer.from(cursor, 'base64url').toString().replace(/^\d+/, '0')).toString('base64url');
    for (const bad of [encodeOrderCursor('user-b', position), edited, `${cursor}x`, `${cursor}=`, 'garbage', '', '%%%', 'x'.repeat(256)]) {
      expect(reason(() => decodeOrderCursor('user-a', bad))).toBe('BAD_REQUEST CURSOR_INVALID');
    }
  });
});

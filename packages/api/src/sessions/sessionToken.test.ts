import { describe, expect, it } from 'vitest';
import { bearerToken, generateSessionToken, hashSecret, parseSessionToken } from './sessionToken.ts';

describe('session tokens', () => {
  it('carry an id and a 256-bit secret, and parse back', () => {
    const { id, secret, token } = generateSessionToken();
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(parseSessionToken(token)).toEqual({ id, secret });
    expect(generateSessionToken().token).not.toBe(token);
  });

  it('never repeat their random bytes, across many refills of the pool they come from', () => {
    const tokens = Array.from({ length: 1_000 }, () => generateSessionToken());
    for (const { token } of tokens) expect(parseSessionToken(token)).not.toBeNull();
    // No 8 bytes seen twice, so no two ids or secrets share bytes, even shifted (by chance: ~1e-10).
    const windows = tokens.flatMap(({ id, secret }) =>
      [id, secret].flatMap((part) => {
        const bytes = Buffer.from(part, 'base64url');
        return Array.from({ length: bytes.length - 7 }, (_, at) => bytes.toString('hex', at, at + 8));
      }),
    );
    expect(windows).toHaveLength(1_000 * (8 + 25));
    expect(new Set(windows).size).toBe(windows.length);
  });

  it('refuse anything else before touching the database', () => {
    const { token } = generateSessionToken();
    for (const bad of ['', token.replace('.', ''), `${token}x`, `x${token}`, token.replace(/.$/, '+'), 'a'.repeat(10_000), `${token}\n`]) {
      expect(parseSessionToken(bad), bad.slice(0, 80)).toBeNull();
    }
  });

  it('hash the secret with SHA-256', () => {
    expect(hashSecret('abc').toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('are read from a Bearer authorization header only', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc.def')).toBe('abc.def');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken(`Bearer ${'a'.repeat(600)}`)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { bearerToken, generateSessionToken, hashSecret, parseSessionToken } from './sessionToken.ts';

describe('session tokens', () => {
  it('carry an id and a 256-bit secret, and parse back', () => {
    const { id, secret, token } = generateSessionToken();
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(parseSessionToken(token)).toEqual({ id, secret });
    expect(generateSessionToken().token).not.toBe(token);
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

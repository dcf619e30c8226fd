import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: { RATE_LIMIT_LOGIN_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '8', TRUST_PROXY: '1', CORS_ORIGINS: 'https://admin.example.com' },
  });
});
afterAll(() => server.close());

const login = async (forwardedFor: string) => {
  const code = await server.mint('ratty');
  return fetch(`${server.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ code }),
  });
};

describe('rate limits', () => {
  it('limits auth.login per client IP, answering TOO_MANY_REQUESTS with Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await login('203.0.113.7')).status).toBe(200);
    const limited = await login('203.0.113.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: -32029, data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 } } });
    // Another client (through the trusted proxy) is not affected, nor are reads from the first one.
    expect((await login('198.51.100.9')).status).toBe(200);
    const read = await fetch(`${server.url}/trpc/auth.check`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(read.status).toBe(200);
  });

  it('counts a batch that contains auth.login against the login limit', async () => {
    for (let i = 0; i < 3; i++) expect((await login('203.0.113.8')).status).toBe(200);
    const batch = await fetch(`${server.url}/trpc/auth.check,auth.login?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.8' },
      body: JSON.stringify({ 1: { code: await server.mint('ratty') } }),
    });
    expect(batch.status).toBe(429);
  });

  it('limits other calls more loosely, and never the health checks', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await fetch(`${server.url}/trpc/auth.check`, { headers: { 'x-forwarded-for': '192.0.2.1' } })).status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    for (let i = 0; i < 12; i++) expect((await fetch(`${server.url}/healthz`, { headers: { 'x-forwarded-for': '192.0.2.1' } })).status).toBe(200);
  });
});

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const allowed = await fetch(`${server.url}/trpc/auth.check`, { headers: { origin: 'https://admin.example.com', 'x-forwarded-for': '192.0.2.50' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    const other = await fetch(`${server.url}/trpc/auth.check`, { headers: { origin: 'https://evil.example.com', 'x-forwarded-for': '192.0.2.51' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

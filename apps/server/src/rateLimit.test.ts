import { connect } from 'node:net';
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

/** Sends one raw HTTP/1.1 request (any request target) and reads the whole answer until the server closes. */
function rawRequest(requestLine: string, headers: Record<string, string>, body = ''): Promise<{ status: number; head: string; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', rest = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head: head.toLowerCase(), body: rest });
    });
    const lines = Object.entries({ host: `127.0.0.1:${port}`, connection: 'close', 'content-length': String(Buffer.byteLength(body)), ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`${requestLine}\r\n${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}

const loginBody = async () => JSON.stringify({ code: await server.mint('ratty') });

describe('rate limits hold however a request is spelled', () => {
  it('an absolute-form request target is routed and counted like any other', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await rawRequest(
        `POST ${server.url}/trpc/auth.login HTTP/1.1`,
        { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.20' },
        await loginBody(),
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('a percent-encoded procedure name counts as auth.login (tRPC decodes the path again, so twice-encoded too)', async () => {
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.21' };
    const statuses: number[] = [];
    for (const path of ['auth%2Elogin', 'auth%252Elogin', 'auth%2elogin', 'auth.login']) {
      statuses.push((await fetch(`${server.url}/trpc/${path}`, { method: 'POST', headers, body: await loginBody() })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('a batch of N logins costs N', async () => {
    const headers = { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.22' };
    const batchOf = async (n: number) => {
      const inputs = Object.fromEntries(await Promise.all(Array.from({ length: n }, async (_, i) => [i, { code: await server.mint('ratty') }] as const)));
      return fetch(`${server.url}/trpc/${Array(n).fill('auth.login').join(',')}?batch=1`, { method: 'POST', headers, body: JSON.stringify(inputs) });
    };
    expect((await batchOf(2)).status).toBe(200);
    expect((await batchOf(2)).status).toBe(429); // 2 + 2 > 3
    const fresh = { ...headers, 'x-forwarded-for': '203.0.113.23' };
    const four = await fetch(`${server.url}/trpc/auth.login,auth.login,auth.login,auth.login?batch=1`, { method: 'POST', headers: fresh, body: '{}' });
    expect(four.status).toBe(429);
  });

  it('GET and HEAD to auth.login count too, and unknown paths count against the general limit', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.24' };
    const statuses = [];
    for (const method of ['GET', 'HEAD', 'GET']) statuses.push((await fetch(`${server.url}/trpc/auth.login`, { method, headers })).status);
    statuses.push((await fetch(`${server.url}/trpc/auth.login`, { headers })).status);
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
    const unknown = { 'x-forwarded-for': '203.0.113.25' };
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push((await fetch(`${server.url}/no/such/path-${i}`, { headers: unknown })).status);
    expect(answers).toEqual([...Array(8).fill(404), 429]);
  });

  it('closes the connection of a refused request', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.26', connection: 'keep-alive' };
    for (let i = 0; i < 8; i++) await fetch(`${server.url}/trpc/auth.check`, { headers });
    const refused = await rawRequest('GET /trpc/auth.check HTTP/1.1', { 'x-forwarded-for': '203.0.113.26', connection: 'keep-alive' });
    expect(refused.status).toBe(429);
    expect(refused.head).toContain('connection: close'); // and rawRequest only resolved because the server closed the socket
  });

  it('groups IPv6 clients by /64 and IPv4-mapped addresses with their IPv4', async () => {
    const check = (ip: string) => fetch(`${server.url}/trpc/auth.check`, { headers: { 'x-forwarded-for': ip } }).then((r) => r.status);
    for (let i = 1; i <= 8; i++) expect(await check(`2001:db8:aa:bb::${i.toString(16)}`)).toBe(200);
    expect(await check('2001:db8:aa:bb:ffff::9')).toBe(429);
    expect(await check('2001:db8:aa:bc::1')).toBe(200); // another /64
    for (let i = 0; i < 8; i++) await check('198.51.100.77');
    expect(await check('::ffff:198.51.100.77')).toBe(429);
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

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBatchSize } from '@wxtrpc/api';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = (await server.login('hostile')).token;
});
afterAll(() => server.close());

interface Answer {
  status: number;
  text: string;
  body: any;
}

async function call(method: 'GET' | 'POST', path: string, options: { input?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const query = method === 'GET' && options.input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(options.input))}` : '';
  const response = await fetch(`${server.url}${path}${query}`, {
    method,
    headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(method === 'POST' ? { body: options.rawBody ?? (options.input === undefined ? '' : JSON.stringify(options.input)) } : {}),
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // checked by the caller
  }
  return { status: response.status, text, body };
}

/** A 4xx in tRPC's error format with nothing internal in it. */
function expectTypedClientError(answer: Answer, context: string) {
  // A URL past Node's 16 KB header limit is refused by the HTTP parser before any route: also fine.
  if (answer.status === 431) return expectClean(answer, context);
  expect(answer.status, `${context}: ${answer.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(answer.status, `${context}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  expectClean(answer, context);
  const error = Array.isArray(answer.body) ? answer.body.find((item: any) => item.error)?.error : answer.body?.error;
  expect(error, context).toBeDefined();
  expect(typeof error.code, context).toBe('number');
  expect(error.data.httpStatus, context).toBeGreaterThanOrEqual(400);
  expect(error.data.code, context).toMatch(/^[A-Z_]+$/);
}

function expectClean(answer: Answer, context: string) {
  expect(answer.status, context).not.toBe(500);
  expect(answer.text, context).not.toMatch(/"stack"|\bat [\w.<>]+ \(|\.ts:\d+|node_modules|\/work\/|SQLITE|Prisma|prisma/);
}

// Adversarial strings: control characters, NUL, unicode, long, JSON-ish and injection-ish.
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom('\u0000', '../../etc/passwd', "' OR 1=1 --", '{"$ne":null}', '__proto__', 'constructor', '\ud800', 'a'.repeat(10_000), ''),
);
const nastyValue = fc.oneof(
  nastyString,
  fc.double(),
  fc.integer(),
  fc.bigInt().map((n) => n.toString()),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
  fc.dictionary(nastyString, fc.jsonValue(), { maxKeys: 5 }),
);
const loginLike = fc.record({ code: nastyValue, encryptedData: nastyValue, iv: nastyValue, rawData: nastyValue, signature: nastyValue, extra: nastyValue }, { requiredKeys: [] });
const listLike = fc.record({ limit: nastyValue, cursor: nastyValue, status: nastyValue, extra: nastyValue }, { requiredKeys: [] });

describe('hostile input (property-based)', () => {
  it('auth.login answers any input with a typed 4xx, never a 500 or a stack', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(loginLike, nastyValue), async (input) => {
        expectTypedClientError(await call('POST', '/trpc/auth.login', { input }), JSON.stringify(input)?.slice(0, 200));
      }),
      { numRuns: 150 },
    );
  });

  it('order.list answers any input with a typed 4xx (or a page for inputs that happen to be valid), never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(listLike, nastyValue), fc.boolean(), async (input, withToken) => {
        const answer = await call('GET', '/trpc/order.list', { input, headers: withToken ? { authorization: `Bearer ${token}` } : {} });
        if (answer.status === 200) {
          expect(withToken).toBe(true);
          expect(answer.body.result.data.items).toEqual(expect.any(Array));
        } else {
          expectTypedClientError(answer, JSON.stringify(input)?.slice(0, 200));
          if (!withToken && answer.status !== 431) expect(answer.status).toBe(401);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('auth.check and auth.logout ignore junk input and hostile headers without failing', async () => {
    await fc.assert(
      fc.asyncProperty(nastyValue, fc.string({ maxLength: 300 }), async (input, header) => {
        const authorization = header.replace(/[^\x20-\x7e]/g, '');
        const check = await call('GET', '/trpc/auth.check', { input, headers: { authorization } });
        expect(check.status).toBe(200);
        expect(check.body.result.data.valid).toBe(false);
        const logout = await call('POST', '/trpc/auth.logout', { input, headers: { authorization } });
        expectTypedClientError(logout, authorization);
      }),
      { numRuns: 80 },
    );
  });

  it('random batches of real and unknown procedures never produce a 500', async () => {
    const procedure = fc.constantFrom('auth.check', 'order.list', 'auth.login', 'nope', 'auth', 'order.list.x', '__proto__');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(procedure, nastyValue), { minLength: 1, maxLength: maxBatchSize }), async (calls) => {
        const paths = calls.map(([path]) => path).join(',');
        const input = Object.fromEntries(calls.map(([, value], i) => [i, value]));
        const answer = await call('GET', `/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`.replace('?batch=1&', '?batch=1&'), {
          headers: { authorization: `Bearer ${token}` },
        });
        expectClean(answer, paths);
        expect(answer.body, answer.text.slice(0, 200)).not.toBeNull();
      }),
      { numRuns: 60 },
    );
  });
});

describe('hostile requests', () => {
  it('answers malformed JSON with a tRPC BAD_REQUEST', async () => {
    const answer = await call('POST', '/trpc/auth.login', { rawBody: '{"code": "abc"' });
    expectTypedClientError(answer, 'malformed JSON');
    expect(answer.body.error.data.code).toBe('BAD_REQUEST');
  });

  it('answers a wrong content type with UNSUPPORTED_MEDIA_TYPE', async () => {
    const answer = await call('POST', '/trpc/auth.login', { rawBody: 'code=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectTypedClientError(answer, 'form body');
    expect(answer.status).toBe(415);
  });

  it('answers an oversized body with a tRPC-shaped 413 PAYLOAD_TOO_LARGE', async () => {
    const answer = await call('POST', '/trpc/auth.login', { rawBody: JSON.stringify({ code: 'x'.repeat(2_000_000) }) });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: -32013, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } });
  });

  it('refuses a batch larger than the server limit with BAD_REQUEST', async () => {
    const paths = Array.from({ length: maxBatchSize + 1 }, () => 'auth.check').join(',');
    const answer = await call('GET', `/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`);
    expectTypedClientError(answer, 'batch too large');
    expect(answer.status).toBe(400);
  });

  it('answers absurd batches, very long paths and unknown procedures with a tRPC 404 or 400, never a 500', async () => {
    for (const path of [Array.from({ length: 500 }, () => 'auth.check').join(','), 'x'.repeat(6_000), 'no.such.procedure']) {
      const answer = await call('GET', `/trpc/${path}?batch=1&input=%7B%7D`);
      expectTypedClientError(answer, path.slice(0, 40));
    }
    // Past Node's 16 KB header limit the HTTP parser itself refuses the request.
    const huge = await call('GET', `/trpc/${Array.from({ length: 2_000 }, () => 'auth.check').join(',')}?batch=1&input=%7B%7D`);
    expect(huge.status).toBe(431);
    expectClean(huge, 'huge URL');
  });

  it('refuses oversized headers at the HTTP layer without taking the server down', async () => {
    const answer = await fetch(`${server.url}/trpc/auth.check`, { headers: { 'x-junk': 'x'.repeat(20_000) } }).then(
      (response) => response.status,
      () => 'connection closed',
    );
    expect([431, 'connection closed']).toContain(answer);
    expect((await call('GET', '/trpc/auth.check')).status).toBe(200);
  });

  it('sends security headers', async () => {
    const response = await fetch(`${server.url}/trpc/auth.check`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

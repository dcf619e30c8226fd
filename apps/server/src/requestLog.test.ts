// The request log: one JSON line per request naming the procedure(s) and the duration, never an input —
// not even a login code a client put in a URL (a GET carries its procedure input in the query string).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactInput } from './serializeRequest.ts';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const requestLines = () => server.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request');
const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));

it('logs each request once with its procedures, status and duration', async () => {
  const { token } = await server.login('logged');
  const before = requestLines().length;
  const client = server.client(token, { batch: true });
  await client.order.list.query({ limit: 1 });
  await Promise.all([client.auth.check.query(), client.order.list.query({ limit: 2 })]);
  await fetch(`${server.url}/healthz`);
  const lines = requestLines().slice(before);
  expect(lines.map((line) => [line.method, line.route, line.procedures, line.status])).toEqual([
    ['GET', '/trpc/:path', ['order.list'], 200],
    ['GET', '/trpc/:path', ['auth.check', 'order.list'], 200],
    ['GET', '/healthz', undefined, 200],
  ]);
  for (const line of lines) expect(line.ms).toEqual(expect.any(Number));
});

describe('inputs in URLs', () => {
  it.each([
    ['a mutation sent as a GET', (code: string) => `/trpc/auth.login?input=${json({ code })}`, ['auth.login']],
    ['unencoded JSON', (code: string) => `/trpc/auth.login?input={"code":"${code}"}`, ['auth.login']],
    ['a batch', (code: string) => `/trpc/auth.check,auth.login?batch=1&input=${json({ 1: { code } })}`, ['auth.check', 'auth.login']],
    ['a percent-encoded parameter name', (code: string) => `/trpc/auth.login?%69nput=${code}&input=${code}`, ['auth.login']],
    ['an unknown path', (code: string) => `/no/such/path?input=${code}`, undefined],
  ])('never reach a log line: %s', async (_, url, procedures) => {
    const code = await server.mint('url-leak');
    const before = server.logs.length;
    const response = await fetch(`${server.url}${url(code)}`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    const lines = server.logs.slice(before);
    expect(lines.filter((line) => line.includes(code))).toEqual([]);
    expect(
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.msg === 'request')
        .map((line) => line.procedures),
    ).toEqual([procedures]);
  });

  it('are redacted wherever a request URL is logged (errors), keeping the path', () => {
    expect(redactInput('/trpc/auth.login?input=%7B%22code%22%3A%22x%22%7D')).toBe('/trpc/auth.login?input=[redacted]');
    expect(redactInput('/trpc/auth.check,auth.login?batch=1&input={"1":{"code":"x"}}')).toBe('/trpc/auth.check,auth.login?batch=1&input=[redacted]');
    expect(redactInput('/trpc/auth.login?%69nput=x&input=y')).toBe('/trpc/auth.login?%69nput=[redacted]&input=[redacted]');
    expect(redactInput('/healthz')).toBe('/healthz');
  });
});

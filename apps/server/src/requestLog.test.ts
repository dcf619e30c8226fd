// The request log: one JSON line per request naming the procedure(s) and the duration, never inputs.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const requestLines = () => server.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request');

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

it('never logs an input, not even a mutation sent as a GET with its code in the URL', async () => {
  const code = `secret-code-${Date.now()}`;
  const response = await fetch(`${server.url}/trpc/auth.login?input=${encodeURIComponent(JSON.stringify({ code }))}`);
  expect(response.status).toBe(405);
  await fetch(`${server.url}/trpc/order.list?input=${encodeURIComponent(JSON.stringify({ cursor: 'cursor-marker-123' }))}`);
  await fetch(`${server.url}/no/such/path?input=path-marker-456`);
  const text = server.logs.join('\n');
  for (const secret of [code, 'cursor-marker-123', 'path-marker-456']) expect(text).not.toContain(secret);
  expect(requestLines().some((line) => (line.procedures as string[] | undefined)?.includes('auth.login') && line.status === 405)).toBe(true);
});

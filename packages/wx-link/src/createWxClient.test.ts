import http from 'node:http';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWxClient } from './createWxClient.ts';
import { createWxFetch } from './createWxFetch.ts';
import { createFakeWx } from './testing/createFakeWx.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => fetch(`${server.emulator.url}/emulator/faults`, { method: 'DELETE' }));
afterAll(() => server.close());

/** HTTP requests the server received on /trpc since `from` (read from its request log). */
const trpcRequests = (from: number) =>
  server.logs
    .slice(from)
    .map((line) => JSON.parse(line) as { msg: string; req?: { url: string } })
    .filter((entry) => entry.msg === 'incoming request' && entry.req?.url.startsWith('/trpc'))
    .map((entry) => entry.req!.url);

const setup = (user = 'alice', options: { timeoutMs?: number; maxConcurrent?: number } = {}) => {
  const wx = createFakeWx({ emulatorUrl: server.emulator.url, user });
  return { wx, ...createWxClient({ url: `${server.url}/trpc`, wx, ...options }) };
};
const fault = (body: object) => server.emulatorPost('/emulator/faults', body);
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
};

describe('createWxClient over wx.request', () => {
  it('logs in, stores the session and sends it as a Bearer header', async () => {
    const { wx, client, login, session } = setup('alice');
    const stored = await login();
    expect(session.get()).toEqual(stored);
    expect(wx.stats.logins).toBe(1);
    await expect(client.auth.check.query()).resolves.toEqual({ valid: true, expiresAt: stored.expiresAt });
  });

  it('turns 10 concurrent calls into one HTTP request', async () => {
    const { wx, client, login } = setup('bob');
    await login();
    const before = { logs: server.logs.length, requests: wx.stats.requests };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? client.auth.check.query() : client.order.list.query({ limit: 1 }))));
    expect(results).toHaveLength(10);
    expect(wx.stats.requests - before.requests).toBe(1);
    const urls = trpcRequests(before.logs);
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatch(/^\/trpc\/order\.list,auth\.check,.*batch=1/);
  });

  it('splits batches at the server limit', async () => {
    const { wx, client } = setup('bob2');
    const before = wx.stats.requests;
    await Promise.all(Array.from({ length: 45 }, () => client.auth.check.query()));
    expect(wx.stats.requests - before).toBe(3); // 20 + 20 + 5
  });

  it('never has more than 10 requests in flight; the rest wait their turn', async () => {
    const wx = createFakeWx({ emulatorUrl: server.emulator.url, user: 'carol' });
    const plain = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, fetch: createWxFetch({ request: wx.request }) })] });
    await fault({ kind: 'latency', latencyMs: 150, count: 25 });
    const codes = await Promise.all(Array.from({ length: 25 }, () => server.mint('carol')));
    const results = await Promise.all(codes.map((code) => plain.auth.login.mutate({ code })));
    expect(results.every((r) => r.token.length > 0)).toBe(true);
    expect(wx.stats.maxInFlight).toBe(10);
    expect(wx.stats.refused).toBe(0);
  });

  it('aborts: the wx task is aborted and the call fails with an AbortError', async () => {
    const wx = createFakeWx({ emulatorUrl: server.emulator.url });
    const plain = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, fetch: createWxFetch({ request: wx.request }) })] });
    await fault({ kind: 'latency', latencyMs: 2_000, count: 1 });
    const controller = new AbortController();
    const call = plain.auth.login.mutate({ code: await server.mint('dave') }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    expect(wx.stats.inFlight).toBe(1);
    controller.abort();
    const error = await failure(call);
    expect((error.cause as Error).name).toBe('AbortError');
    expect(wx.stats.inFlight).toBe(0);
  });

  it('times out a request and reports wx’s errMsg', async () => {
    const { wx, login } = setup('erin', { timeoutMs: 200 });
    await fault({ kind: 'latency', latencyMs: 1_000, count: 1 });
    const started = performance.now();
    const error = await failure(login());
    expect(error.message).toBe('request:fail timeout');
    expect(performance.now() - started).toBeLessThan(900);
    expect(wx.stats.inFlight).toBe(0);
  });

  it('turns HTTP errors and bodies that are not tRPC into typed TRPCClientErrors', async () => {
    const { client } = setup('frank');
    // 401 from a protected procedure without a session (and no re-login possible: wx.login fails)
    const noLogin = createWxClient({ url: `${server.url}/trpc`, wx: createFakeWx({ emulatorUrl: 'http://127.0.0.1:9' }) });
    const unauthorized = await failure(noLogin.client.order.list.query());
    expect(unauthorized.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    // 400 with tRPC's body
    const bad = await failure(client.order.list.query({ limit: 500 }));
    expect(bad.data).toMatchObject({ code: 'BAD_REQUEST' });
    // 413 from Fastify itself (body over its limit)
    const tooBig = await failure(client.auth.login.mutate({ code: 'x'.repeat(1_100_000) }));
    expect(tooBig.meta?.response).toMatchObject({ status: 413 });
    // 502 with an HTML body, as a proxy in front of the server would answer
    const proxy = http.createServer((_, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as { port: number };
    const behindProxy = createWxClient({ url: `http://127.0.0.1:${port}/trpc`, wx: createFakeWx({ emulatorUrl: server.emulator.url }) });
    const gateway = await failure(behindProxy.client.auth.check.query());
    expect(gateway.message).toBe("HTTP 502: the server's response is not JSON");
    proxy.close();
    // a network failure carries wx's errMsg
    const down = createWxClient({ url: 'http://127.0.0.1:9/trpc', wx: createFakeWx({ emulatorUrl: server.emulator.url }) });
    const network = await failure(down.client.auth.check.query());
    expect(network.message).toMatch(/^request:fail /);
  });
});

describe('re-login', () => {
  it('runs one wx.login for all calls that hit an expired session, then replays each once', async () => {
    const { wx, client, login, session } = setup('gina');
    const first = await login();
    server.advance(31 * 24 * 3_600_000); // the server now considers the session expired
    try {
      const batched = Array.from({ length: 6 }, () => client.order.list.query({ limit: 2 }));
      const results = await Promise.all(batched);
      expect(results).toHaveLength(6);
      expect(wx.stats.logins).toBe(2);
      expect(session.get()!.token).not.toBe(first.token);
      await expect(client.auth.check.query()).resolves.toMatchObject({ valid: true });
    } finally {
      server.advance(-31 * 24 * 3_600_000);
    }
  });

  it('never loops: when logging in again fails, the call gets its UNAUTHORIZED error', async () => {
    const { wx, client } = setup('henry');
    await server.emulatorPost('/emulator/wx-login', { user: 'henry' });
    await fetch(`${server.emulator.url}/emulator/users/henry`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"blocked":true}' });
    const errors = await Promise.all([failure(client.order.list.query()), failure(client.order.list.query({ limit: 3 }))]);
    for (const error of errors) expect(error.data).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(wx.stats.logins).toBe(1);
  });

  it('clears a stored session the server no longer knows (checkSession on launch)', async () => {
    const { login, checkSession, session, logout } = setup('ivy');
    await login();
    await expect(checkSession()).resolves.toBe(true);
    const other = setup('ivy');
    other.session.set(session.get()!);
    await logout();
    expect(session.get()).toBeNull();
    await expect(other.checkSession()).resolves.toBe(false);
    expect(other.session.get()).toBeNull();
  });
});

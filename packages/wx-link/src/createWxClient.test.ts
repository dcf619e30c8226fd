// The link's whole contract, run once per platform: each fake speaks its platform's request API to the real
// server over HTTP (see testing/fakePlatforms.ts).
import http from 'node:http';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformFetch } from './createPlatformFetch.ts';
import { createWxClient, type ExchangeCode, type WxClientOptions } from './createWxClient.ts';
import { PlatformRequestError } from './PlatformRequestError.ts';
import { fakePlatforms } from './testing/fakePlatforms.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => fetch(`${server.emulator.url}/emulator/faults`, { method: 'DELETE' }));
afterAll(() => server.close());

/** The procedures of each HTTP request the server answered on /trpc since `from` (read from its request log). */
const trpcRequests = (from: number) =>
  server.logs
    .slice(from)
    .map((line) => JSON.parse(line) as { msg: string; route?: string; procedures?: string[] })
    .filter((entry) => entry.msg === 'request' && entry.route === '/trpc/:path')
    .map((entry) => entry.procedures!);

const fault = (body: object) => server.emulatorPost('/emulator/faults', body);
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<AppRouter>;
};

describe.each(fakePlatforms)('createWxClient on $name', (kind) => {
  const user = (name: string) => `${kind.name}-${name}`;

  /** A fake of this platform and a client on it; platforms without WeChat's login plug in an exchange. */
  const setup = (name: string, options: Partial<Pick<WxClientOptions, 'url' | 'timeoutMs'>> & { emulatorUrl?: string } = {}) => {
    const { emulatorUrl = server.emulator.url, ...clientOptions } = options;
    const { fake, clientOptions: named } = kind.create({ emulatorUrl, user: user(name) });
    const exchanged: string[] = [];
    const exchangeCode: ExchangeCode = ({ code, client }) => {
      exchanged.push(code);
      return client.auth.login.mutate({ code }); // the test server's only exchange: WeChat's, through the emulator
    };
    const created = createWxClient({ url: `${server.url}/trpc`, ...named, ...(kind.wechatLogin ? {} : { exchangeCode }), ...clientOptions });
    return { fake, exchanged, ...created };
  };

  it('logs in, stores the session in the platform’s storage and sends it as a Bearer header', async () => {
    const { fake, platform, client, login, session, exchanged } = setup('login');
    const stored = await login();
    expect(session.get()).toEqual(stored);
    expect(platform.storage.get('session')).toEqual(stored);
    expect(fake.storage.get('session')).toEqual(stored);
    expect(fake.stats.logins).toBe(1);
    expect(exchanged).toHaveLength(kind.wechatLogin ? 0 : 1);
    await expect(client.auth.check.query()).resolves.toEqual({ valid: true, expiresAt: stored.expiresAt });
  });

  it('turns 10 concurrent calls into one HTTP request', async () => {
    const { fake, client, login } = setup('batch');
    await login();
    const before = { logs: server.logs.length, requests: fake.stats.requests };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? client.auth.check.query() : client.order.list.query({ limit: 1 }))));
    expect(results).toHaveLength(10);
    expect(fake.stats.requests - before.requests).toBe(1);
    const requests = trpcRequests(before.logs);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 ? 'auth.check' : 'order.list')));
  });

  it('splits batches at the server limit', async () => {
    const { fake, client } = setup('split');
    await Promise.all(Array.from({ length: 45 }, () => client.auth.check.query()));
    expect(fake.stats.requests).toBe(3); // 20 + 20 + 5
  });

  it('never has more than 10 requests in flight; the rest wait their turn', async () => {
    const { fake, platform } = setup('queue');
    const plain = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/trpc`, fetch: createPlatformFetch(platform) })] });
    await fault({ kind: 'latency', latencyMs: 150, count: 25 });
    const codes = await Promise.all(Array.from({ length: 25 }, () => server.mint(user('queue'))));
    const results = await Promise.all(codes.map((code) => plain.auth.login.mutate({ code })));
    expect(results.every((r) => r.token.length > 0)).toBe(true);
    expect(fake.stats.maxInFlight).toBe(10);
    expect(fake.stats.refused).toBe(0);
  });

  it('aborts: the platform task is aborted and the call fails with an AbortError', async () => {
    const { fake, client } = setup('abort');
    await fault({ kind: 'latency', latencyMs: 2_000, count: 1 });
    const controller = new AbortController();
    const call = client.auth.login.mutate({ code: await server.mint(user('abort')) }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.stats.inFlight).toBe(1);
    controller.abort();
    const error = await failure(call);
    expect((error.cause as Error).name).toBe('AbortError');
    expect(fake.stats.inFlight).toBe(0);
  });

  it('times out a request with a typed PlatformRequestError', async () => {
    const { fake, login } = setup('timeout', { timeoutMs: 200 });
    await fault({ kind: 'latency', latencyMs: 1_000, count: 1 });
    const started = performance.now();
    const error = await failure(login());
    expect(error.cause).toBeInstanceOf(PlatformRequestError);
    expect(error.cause).toMatchObject({ kind: 'timeout', platform: kind.name });
    expect(performance.now() - started).toBeLessThan(900);
    expect(fake.stats.inFlight).toBe(0);
  });

  it('turns HTTP errors and bodies that are not tRPC into typed TRPCClientErrors', async () => {
    const { client } = setup('errors');
    // 401 from a protected procedure without a session (and no re-login possible: the platform's login fails)
    const noLogin = setup('errors-nologin', { emulatorUrl: 'http://127.0.0.1:9' });
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
    const behindProxy = setup('errors-proxy', { url: `http://127.0.0.1:${port}/trpc` });
    const gateway = await failure(behindProxy.client.auth.check.query());
    expect(gateway.message).toBe("HTTP 502: the server's response is not JSON");
    proxy.close();
    // a network failure: a PlatformRequestError carrying the platform's own message (and code, where it has one)
    const down = setup('errors-down', { url: 'http://127.0.0.1:9/trpc' });
    const network = await failure(down.client.auth.check.query());
    expect(network.cause).toBeInstanceOf(PlatformRequestError);
    expect(network.cause).toMatchObject({ kind: 'network', platform: kind.name });
    expect(network.message.length).toBeGreaterThan(0);
  });

  it('logs in once for all calls that hit an expired session, then replays each once', async () => {
    const { fake, client, login, session } = setup('relogin');
    const first = await login();
    server.advance(31 * 24 * 3_600_000); // the server now considers the session expired
    try {
      const results = await Promise.all(Array.from({ length: 6 }, () => client.order.list.query({ limit: 2 })));
      expect(results).toHaveLength(6);
      expect(fake.stats.logins).toBe(2);
      expect(session.get()!.token).not.toBe(first.token);
      await expect(client.auth.check.query()).resolves.toMatchObject({ valid: true });
    } finally {
      server.advance(-31 * 24 * 3_600_000);
    }
  });

  it('never loops: when logging in again fails, the call gets its UNAUTHORIZED error', async () => {
    const { fake, client } = setup('blocked');
    await server.emulatorPost('/emulator/wx-login', { user: user('blocked') });
    await fetch(`${server.emulator.url}/emulator/users/${user('blocked')}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"blocked":true}' });
    const errors = await Promise.all([failure(client.order.list.query()), failure(client.order.list.query({ limit: 3 }))]);
    for (const error of errors) expect(error.data).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(fake.stats.logins).toBe(1);
  });

  it('clears a stored session the server no longer knows (checkSession on launch)', async () => {
    const { login, checkSession, session, logout } = setup('check');
    await login();
    await expect(checkSession()).resolves.toBe(true);
    const other = setup('check');
    other.session.set(session.get()!);
    await logout();
    expect(session.get()).toBeNull();
    await expect(other.checkSession()).resolves.toBe(false);
    expect(other.session.get()).toBeNull();
  });
});

// Issue #13 at the server level: two real server processes (what `npm start` runs) on one PostgreSQL
// database and one WeChat emulator, called over HTTP with tRPC's client. The access_token is fetched once
// for both, and a token WeChat rejects is replaced once for both. PostgreSQL only: several instances are
// a PostgreSQL deployment (one instance on SQLite, see the README); skipped with a notice without it.
import { randomBytes } from 'node:crypto';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl, type TestDatabase } from '@wxtrpc/db/testing';
import { startWechatEmulator, type RunningWechatEmulator } from '@wxtrpc/wechat';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from './testing/spawnServer.ts';
import { testAppid, testSecret } from './testing/startTestServer.ts';

if (!testPostgresUrl) console.warn(postgresSkipNotice);

interface EmulatorStats {
  stableTokenRequests: number;
  forceRefreshRequests: number;
  phoneNumberRequests: number;
  textCheckRequests: number;
}

const users = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}-${randomBytes(3).toString('hex')}`);

describe.skipIf(!testPostgresUrl)('the access_token with two server instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let emulator: RunningWechatEmulator;
  let sql: pg.Client;
  let a: SpawnedServer;
  let b: SpawnedServer;
  const metricsToken = randomBytes(16).toString('hex');
  const sessionTokens: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = await startWechatEmulator({ appid: testAppid, secret: testSecret });
    const env = {
      DATABASE_URL: database.url,
      WECHAT_APPID: testAppid,
      WECHAT_SECRET: testSecret,
      WECHAT_API_BASE_URL: emulator.url,
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: 'https://api.example.com',
      RATE_LIMIT_LOGIN_PER_MINUTE: '0', // 50 logins from one address; rateLimit.test.ts checks the limit
      METRICS_TOKEN: metricsToken, // each instance's own count of WeChat calls
    };
    [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
    await Promise.all([a.waitUntilReady(), b.waitUntilReady()]);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await sql?.end();
    for (const instance of [a, b]) {
      instance?.child.kill('SIGTERM');
      await instance?.exited;
    }
    try {
      // Everything both printed, start-up to shutdown: no access_token, phone number, session key or token.
      if (a && b) {
        const issued = await a.issued();
        expect(issued.accessTokens?.length).toBeGreaterThan(0);
        for (const instance of [a, b]) expect(instance.leaks(issued, sessionTokens)).toEqual([]);
      }
    } finally {
      await emulator?.close();
      await database?.drop();
    }
  }, 60_000);

  // Each test starts with no token stored (what both instances read: neither caches it in memory) and no fault.
  beforeEach(async () => {
    await fetch(`${emulator.url}/emulator/faults`, { method: 'DELETE' });
    await sql.query('DELETE FROM "WechatAccessToken"');
  });

  const either = (i: number) => (i % 2 === 0 ? a : b); // A for even i, B for odd
  const client = (instance: SpawnedServer, token?: string) =>
    createTRPCClient<AppRouter>({ links: [httpLink({ url: `${instance.url}/trpc`, headers: token ? { authorization: `Bearer ${token}` } : {} })] });
  const emulatorPost = async (pathname: string, body: unknown = {}) => {
    const response = await fetch(`${emulator.url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status, pathname).toBe(200);
    return (await response.json()) as Record<string, any>;
  };
  /** wx.login, then auth.login through `instance`: a session token. */
  const login = async (instance: SpawnedServer, user: string) => {
    const { code } = await emulatorPost('/emulator/wx-login', { user });
    const { token } = await client(instance).auth.login.mutate({ code });
    sessionTokens.push(token);
    return token;
  };
  const phoneCode = async (user: string) => (await emulatorPost('/emulator/phone-code', { user })).code as string;
  const stats = async () => (await (await fetch(`${emulator.url}/emulator/stats`)).json()) as EmulatorStats;
  const storedToken = async () => (await sql.query('SELECT "accessToken", "leaseHolder" FROM "WechatAccessToken"')).rows as { accessToken: string; leaseHolder: string | null }[];
  /** The access_token the emulator minted last: the one stable_token hands out now. */
  const currentAccessToken = async () => ((await (await fetch(`${emulator.url}/emulator/issued`)).json()) as { accessTokens: string[] }).accessTokens.at(-1);

  /** Every instance's WeChat calls so far (its /metrics), by "endpoint outcome". */
  const wechatCalls = async () =>
    Promise.all(
      [a, b].map(async (instance) => {
        const response = await fetch(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
        expect(response.status).toBe(200);
        const counts: Record<string, number> = {};
        for (const [, endpoint, outcome, value] of (await response.text()).matchAll(/^wxtrpc_wechat_calls_total\{endpoint="([^"]+)",outcome="([^"]+)"\} (\d+)$/gm)) {
          counts[`${endpoint} ${outcome}`] = Number(value);
        }
        return counts;
      }),
    );
  /** What each instance called since `before` (a wechatCalls() snapshot): [A's, B's], zero counts left out. */
  const callsSince = async (before: Record<string, number>[]) =>
    (await wechatCalls()).map((counts, i) =>
      Object.fromEntries(
        Object.entries(counts)
          .map(([key, n]) => [key, n - (before[i]![key] ?? 0)])
          .filter(([, n]) => n !== 0),
      ),
    );
  const delta = (after: EmulatorStats, before: EmulatorStats) => Object.fromEntries(Object.entries(after).map(([key, n]) => [key, n - before[key as keyof EmulatorStats]]));

  it('makes exactly one stable_token call for 50 concurrent first uses spread over both instances', { timeout: 60_000 }, async () => {
    const names = users('first-use', 50); // one binding each: bindPhone allows 5 per user and hour
    const tokens = await Promise.all(names.map((name, i) => login(either(i), name)));
    const codes = await Promise.all(names.map(phoneCode));
    expect(await storedToken()).toEqual([]); // first use still ahead
    const [statsBefore, callsBefore] = [await stats(), await wechatCalls()];
    // WeChat takes its time over the fetch, so all 50 calls arrive while it is in flight.
    await emulatorPost('/emulator/faults', { endpoint: 'stable_token', kind: 'latency', latencyMs: 300, count: 1 });

    const accounts = await Promise.all(tokens.map((token, i) => client(either(i), token).account.bindPhone.mutate({ code: codes[i]! })));

    expect(accounts.map((account) => account.phone)).toEqual(names.map(() => expect.stringMatching(/^138\*{4}\d{4}$/)));
    expect(delta(await stats(), statsBefore)).toMatchObject({ stableTokenRequests: 1, forceRefreshRequests: 0, phoneNumberRequests: 50 });
    // Both instances used the token, 25 calls each; one of them fetched it, the other waited for the row.
    const calls = await callsSince(callsBefore);
    expect(calls.map((counts) => counts['wxa/business/getuserphonenumber ok'])).toEqual([25, 25]);
    expect(calls.map((counts) => counts['cgi-bin/stable_token ok'] ?? 0).sort()).toEqual([0, 1]);
    expect(await storedToken()).toEqual([{ accessToken: await currentAccessToken(), leaseHolder: null }]);
  });

  it('refetches once in all when both instances see 40001 for the cached token at once, each call retried once', { timeout: 60_000 }, async () => {
    const tokens = await Promise.all(users('revoked', 20).map((name, i) => login(either(i), name)));
    // The token is cached, and each instance has used it.
    await client(a, tokens[0]).account.updateProfile.mutate({ nickName: 'Before A' });
    await client(b, tokens[1]).account.updateProfile.mutate({ nickName: 'Before B' });
    const first = (await storedToken())[0]?.accessToken;
    expect(first).toEqual(expect.any(String));
    const [statsBefore, callsBefore] = [await stats(), await wechatCalls()];

    // WeChat now answers 40001 for it. Holding each first try a second at WeChat makes all 20 carry the
    // revoked token, so both instances see the 40001 before either has replaced the token.
    expect(await emulatorPost('/emulator/access-token/revoke')).toEqual({ revoked: true });
    await emulatorPost('/emulator/faults', { endpoint: 'msg_sec_check', kind: 'latency', latencyMs: 1_000, count: 20 });
    const accounts = await Promise.all(tokens.map((token, i) => client(either(i), token).account.updateProfile.mutate({ nickName: `After ${i}` })));

    expect(accounts.map((account) => account.nickName)).toEqual(tokens.map((_, i) => `After ${i}`));
    // One refetch for both instances; 20 first tries (40001) and 20 retries with the new token.
    expect(delta(await stats(), statsBefore)).toMatchObject({ stableTokenRequests: 1, forceRefreshRequests: 0, textCheckRequests: 40 });
    const calls = await callsSince(callsBefore);
    expect(calls.map((counts) => [counts['wxa/msg_sec_check 40001'], counts['wxa/msg_sec_check ok']])).toEqual([
      [10, 10],
      [10, 10],
    ]);
    expect(calls.map((counts) => counts['cgi-bin/stable_token ok'] ?? 0).sort()).toEqual([0, 1]);
    const fresh = (await storedToken())[0]?.accessToken;
    expect(fresh).not.toBe(first);
    expect(fresh).toBe(await currentAccessToken());

    // Both go on with the new token, fetching nothing more.
    await client(a, tokens[2]).account.updateProfile.mutate({ nickName: 'Later A' });
    await client(b, tokens[3]).account.updateProfile.mutate({ nickName: 'Later B' });
    expect(delta(await stats(), statsBefore)).toMatchObject({ stableTokenRequests: 1, textCheckRequests: 42 });
  });

  it('refetches once in all when one instance sees 40001: the other goes on with the new token', { timeout: 60_000 }, async () => {
    const tokens = await Promise.all(users('one-sees-it', 4).map((name, i) => login(either(i), name)));
    await client(a, tokens[0]).account.updateProfile.mutate({ nickName: 'Before' });
    const [statsBefore, callsBefore] = [await stats(), await wechatCalls()];

    expect(await emulatorPost('/emulator/access-token/revoke')).toEqual({ revoked: true });
    expect((await client(b, tokens[1]).account.updateProfile.mutate({ nickName: 'Seen on B' })).nickName).toBe('Seen on B');
    expect(delta(await stats(), statsBefore)).toMatchObject({ stableTokenRequests: 1, textCheckRequests: 2 }); // B's 40001, then its retry
    const accounts = await Promise.all(tokens.map((token, i) => client(either(i), token).account.updateProfile.mutate({ nickName: `Then ${i}` })));

    expect(accounts.map((account) => account.nickName)).toEqual(['Then 0', 'Then 1', 'Then 2', 'Then 3']);
    expect(delta(await stats(), statsBefore)).toMatchObject({ stableTokenRequests: 1, forceRefreshRequests: 0, textCheckRequests: 6 });
    expect(await callsSince(callsBefore)).toEqual([{ 'wxa/msg_sec_check ok': 2 }, { 'wxa/msg_sec_check 40001': 1, 'cgi-bin/stable_token ok': 1, 'wxa/msg_sec_check ok': 3 }]);
  });
});

import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, testSecret, trpcError, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
const issuedTokens: string[] = [];
const day = 24 * 3_600_000;

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => fetch(`${server.emulator.url}/emulator/faults`, { method: 'DELETE' }));
afterAll(() => server.close());

const rowCounts = () => {
  const sqlite = new Sqlite(server.databaseFile, { readonly: true });
  const counts = sqlite.prepare('SELECT (SELECT count(*) FROM "User") AS users, (SELECT count(*) FROM "Session") AS sessions').get() as {
    users: number;
    sessions: number;
  };
  sqlite.close();
  return counts;
};
const exchangeRequests = async () => ((await (await fetch(`${server.emulator.url}/emulator/stats`)).json()) as { exchangeRequests: number }).exchangeRequests;
const emulatedUser = async (user: string) => (await (await fetch(`${server.emulator.url}/emulator/users/${user}`)).json()) as { openid: string; sessionKey: string };
const patchUser = (user: string, patch: object) =>
  fetch(`${server.emulator.url}/emulator/users/${user}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
const login = async (user = 'alice') => {
  const result = await server.login(user);
  issuedTokens.push(result.token);
  return result;
};

describe('auth.login', () => {
  it('exchanges a wx.login code for a session token and never returns openid or session_key', async () => {
    // A user no other test of this file logs in, so the login creates the user row whatever ran before.
    const before = rowCounts();
    const result = await login('amber'); // logs in nowhere else in this file, so it is new whatever the order
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{20}\.[A-Za-z0-9_-]{43}$/);
    expect(new Date(result.expiresAt).getTime()).toBe(server.now().getTime() + 30 * day);
    expect(result.user).toEqual({ id: expect.any(String), nickName: null, avatarUrl: null });
    expect(Object.keys(result).sort()).toEqual(['expiresAt', 'token', 'user']);
    const { openid, sessionKey } = await emulatedUser('amber');
    expect(server.bodies.at(-1)).not.toContain(openid);
    expect(server.bodies.at(-1)).not.toContain(sessionKey);
    expect(rowCounts()).toEqual({ users: before.users + 1, sessions: before.sessions + 1 });
    await expect(server.client(result.token).auth.check.query()).resolves.toEqual({ valid: true, expiresAt: result.expiresAt });
  });

  it('gives each device its own session and keeps the latest session_key on the one user row', async () => {
    const first = await login('bob');
    const second = await login('bob');
    expect(second.user.id).toBe(first.user.id);
    expect(second.token).not.toBe(first.token);
    await expect(server.client(first.token).auth.check.query()).resolves.toMatchObject({ valid: true });
    const sqlite = new Sqlite(server.databaseFile, { readonly: true });
    const stored = sqlite.prepare('SELECT sessionKey FROM "User" WHERE id = ?').pluck().get(first.user.id);
    sqlite.close();
    expect(stored).toBe((await emulatedUser('bob')).sessionKey);
  });

  it('stores only a hash of the token: the database row is not a usable token', async () => {
    const { token } = await login('carol');
    const [id, secret] = token.split('.') as [string, string];
    const sqlite = new Sqlite(server.databaseFile, { readonly: true });
    const row = sqlite.prepare('SELECT id, secretHash FROM "Session" WHERE id = ?').get(id) as { id: string; secretHash: Buffer };
    const dump = JSON.stringify(sqlite.prepare('SELECT * FROM "Session"').all());
    sqlite.close();
    expect(row.secretHash).toHaveLength(32);
    expect(dump).not.toContain(secret);
    const forged = `${row.id}.${row.secretHash.toString('base64url')}`;
    await expect(server.client(forged).auth.check.query()).resolves.toEqual({ valid: false, expiresAt: null });
  });

  const failures: [string, () => Promise<string>, object | null, string, string, number][] = [
    ['an unknown code', async () => 'not-a-real-code', null, 'BAD_REQUEST', 'WECHAT_CODE_INVALID', 400],
    [
      'an expired code',
      async () => {
        const code = await server.mint('dave');
        server.advance(5 * 60_000 + 1);
        return code;
      },
      null,
      'BAD_REQUEST',
      'WECHAT_CODE_INVALID',
      400,
    ],
    [
      'a blocked user',
      async () => {
        await patchUser('eve', { blocked: true });
        return server.mint('eve');
      },
      null,
      'FORBIDDEN',
      'WECHAT_USER_BLOCKED',
      403,
    ],
    ['the per-user quota (45011)', () => server.mint('frank'), { kind: 'errcode', errcode: 45011 }, 'TOO_MANY_REQUESTS', 'WECHAT_RATE_LIMITED', 429],
    ['WeChat staying busy (-1)', () => server.mint('frank'), { kind: 'busy' }, 'BAD_GATEWAY', 'WECHAT_UNAVAILABLE', 502],
    ['HTTP 500 from WeChat', () => server.mint('frank'), { kind: 'http500' }, 'BAD_GATEWAY', 'WECHAT_UNAVAILABLE', 502],
    ['a garbage body from WeChat', () => server.mint('frank'), { kind: 'garbage' }, 'BAD_GATEWAY', 'WECHAT_UNAVAILABLE', 502],
    ['an empty body from WeChat', () => server.mint('frank'), { kind: 'empty' }, 'BAD_GATEWAY', 'WECHAT_UNAVAILABLE', 502],
    ['a WeChat that never answers', () => server.mint('frank'), { kind: 'hang' }, 'GATEWAY_TIMEOUT', 'WECHAT_TIMEOUT', 504],
  ];
  it.each(failures)('answers %s with a typed error and writes nothing', async (_, codeFor, fault, code, reason, status) => {
    const jsCode = await codeFor();
    if (fault) await server.emulatorPost('/emulator/faults', fault);
    const before = rowCounts();
    const error = await trpcError(server.client().auth.login.mutate({ code: jsCode }));
    expect(error.data).toMatchObject({ code, reason, httpStatus: status });
    expect(error.message).not.toMatch(/at .*\.ts|stack/i);
    expect(rowCounts()).toEqual(before);
  });

  it('answers a reused code with WECHAT_CODE_USED', async () => {
    const code = await server.mint('grace');
    await server.client().auth.login.mutate({ code });
    const error = await trpcError(server.client().auth.login.mutate({ code }));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'WECHAT_CODE_USED' });
  });

  it('rejects malformed input with BAD_REQUEST before calling WeChat', async () => {
    const before = await exchangeRequests();
    const client = server.client();
    for (const input of [
      { code: '' },
      { code: 'a'.repeat(129) },
      { code: 'abc\u0000def' },
      { code: '登录码' },
      { code: 'abc', encryptedData: 'AAAA' },
      { code: 'abc', rawData: '{}' },
      { code: 'abc', signature: 'x'.repeat(40), rawData: '{}' },
      { code: 42 },
    ]) {
      const error = await trpcError(client.auth.login.mutate(input as never));
      expect(error.data?.code, JSON.stringify(input)).toBe('BAD_REQUEST');
      expect(error.data?.issues?.length).toBeGreaterThan(0);
    }
    expect(await exchangeRequests()).toBe(before);
  });
});

describe('auth.login with user data', () => {
  it('stores the profile from encryptedData (wx.getUserInfo after wx.login)', async () => {
    await patchUser('heidi', { nickName: 'Heidi', avatarUrl: 'https://example.com/heidi.png' });
    const code = await server.mint('heidi');
    const info = await server.emulatorPost('/emulator/wx-getuserinfo', { user: 'heidi' });
    const result = await server.client().auth.login.mutate({ code, encryptedData: info.encryptedData, iv: info.iv });
    issuedTokens.push(result.token);
    expect(result.user).toMatchObject({ nickName: 'Heidi', avatarUrl: 'https://example.com/heidi.png' });
  });

  it('verifies rawData + signature and stores its profile', async () => {
    await patchUser('ivan', { nickName: 'Ivan' });
    const code = await server.mint('ivan');
    const { rawData, signature } = await server.emulatorPost('/emulator/wx-getuserinfo', { user: 'ivan' });
    const result = await server.client().auth.login.mutate({ code, rawData, signature });
    issuedTokens.push(result.token);
    expect(result.user.nickName).toBe('Ivan');
  });

  it('refuses user data obtained before another wx.login (stale session_key), creating nothing', async () => {
    await server.mint('judy');
    const stale = await server.emulatorPost('/emulator/wx-getuserinfo', { user: 'judy' });
    const code = await server.mint('judy'); // rotates the session_key
    const before = rowCounts();
    const decrypt = await trpcError(server.client().auth.login.mutate({ code, encryptedData: stale.encryptedData, iv: stale.iv }));
    expect(decrypt.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'USER_DATA_DECRYPT_FAILED' });
    const signed = await trpcError(server.client().auth.login.mutate({ code: await server.mint('judy'), rawData: stale.rawData, signature: stale.signature }));
    expect(signed.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'USER_DATA_SIGNATURE_INVALID' });
    expect(rowCounts()).toEqual(before);
  });

  it('refuses encryptedData whose watermark is too old', async () => {
    await server.mint('ken');
    const info = await server.emulatorPost('/emulator/wx-getuserinfo', { user: 'ken' });
    const { sessionKey } = await emulatedUser('ken');
    server.advance(11 * 60_000); // past the 10-minute default window
    const { code } = await server.emulatorPost('/emulator/wx-login', { user: 'ken', sessionKey }); // same key, so it decrypts
    const error = await trpcError(server.client().auth.login.mutate({ code, encryptedData: info.encryptedData, iv: info.iv }));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'USER_DATA_EXPIRED' });
  });
});

describe('auth.login with WeChat official samples', () => {
  let sample: TestServer;
  const samplesAt = new Date(1477314187_000 + 60_000); // the encryptedData sample's watermark is from 2016

  beforeAll(async () => {
    sample = await startTestServer({ appid: 'wx4f4bc4dec97d474b' });
    sample.advance(samplesAt.getTime() - sample.now().getTime());
  });
  afterAll(() => sample.close());

  it('decrypts the official encryptedData sample and stores its profile', async () => {
    await fetch(`${sample.emulator.url}/emulator/users/band`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: 'oGZUI0egBJY1zhBYw2KhdUfwVJJE' }),
    });
    const { code } = await sample.emulatorPost('/emulator/wx-login', { user: 'band', sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==' });
    const result = await sample.client().auth.login.mutate({
      code,
      iv: 'r7BXXKkLb8qrSNn05n0qiA==',
      encryptedData:
        'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==',
    });
    expect(result.user).toEqual({
      id: expect.any(String),
      nickName: 'Band',
      avatarUrl: 'http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0',
    });
  });

  it('verifies the official rawData signature sample', async () => {
    const { code } = await sample.emulatorPost('/emulator/wx-login', { user: 'band2', sessionKey: 'HyVFkGl5F5OQWJZZaNzBBg==' });
    const rawData =
      '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}';
    const result = await sample.client().auth.login.mutate({ code, rawData, signature: '75e81ceda165f4ffa64f4068af58c64b8f54b88c' });
    expect(result.user.nickName).toBe('Band');
  });

  it('refuses the sample when the watermark names another appid, creating no session', async () => {
    // `server` runs under another appid than the sample's watermark. Its clock goes back to where it was, even if this fails.
    const clockWas = server.now().getTime();
    onTestFinished(() => server.advance(clockWas - server.now().getTime()));
    server.advance(samplesAt.getTime() - server.now().getTime());
    await fetch(`${server.emulator.url}/emulator/users/band`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: 'oGZUI0egBJY1zhBYw2KhdUfwVJJE' }),
    });
    const { code } = await server.emulatorPost('/emulator/wx-login', { user: 'band', sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==' });
    const before = rowCounts();
    const error = await trpcError(
      server.client().auth.login.mutate({
        code,
        iv: 'r7BXXKkLb8qrSNn05n0qiA==',
        encryptedData:
          'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==',
      }),
    );
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'USER_DATA_WATERMARK_MISMATCH' });
    expect(rowCounts()).toEqual(before);
  });
});

describe('auth.check', () => {
  it('answers valid: false for a missing, malformed, unknown or huge token, without calling WeChat', async () => {
    const before = await exchangeRequests();
    const invalid = { valid: false, expiresAt: null };
    await expect(server.client().auth.check.query()).resolves.toEqual(invalid);
    await expect(server.client('garbage').auth.check.query()).resolves.toEqual(invalid);
    await expect(server.client(`${'a'.repeat(20)}.${'b'.repeat(43)}`).auth.check.query()).resolves.toEqual(invalid);
    await expect(server.client('x'.repeat(10_000)).auth.check.query()).resolves.toEqual(invalid);
    const raw = await fetch(`${server.url}/trpc/auth.check`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(await raw.json()).toEqual({ result: { data: invalid } });
    expect(await exchangeRequests()).toBe(before);
  });

  it('expires a session after 30 days without use, and refuses it on protected procedures with 401', async () => {
    const { token } = await login('liam');
    server.advance(30 * day + 1);
    await expect(server.client(token).auth.check.query()).resolves.toEqual({ valid: false, expiresAt: null });
    const response = await fetch(`${server.url}/trpc/order.list`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { data: unknown } }).error.data).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SESSION_INVALID' });
  });

  it('slides the expiry when the session is used in its second half', async () => {
    const { token, expiresAt } = await login('mia');
    server.advance(10 * day);
    await expect(server.client(token).auth.check.query()).resolves.toEqual({ valid: true, expiresAt });
    server.advance(6 * day); // now 16 days in: second half
    const renewed = await server.client(token).auth.check.query();
    expect(renewed.expiresAt).toBe(new Date(server.now().getTime() + 30 * day).toISOString());
    server.advance(29 * day); // 45 days after login, 29 after renewal
    await expect(server.client(token).auth.check.query()).resolves.toMatchObject({ valid: true });
  });

  it('writes the last-used time at most about once an hour', async () => {
    const { token } = await login('noah');
    const lastUsed = () => {
      const sqlite = new Sqlite(server.databaseFile, { readonly: true });
      const value = sqlite.prepare('SELECT lastUsedAt FROM "Session" WHERE id = ?').pluck().get(token.split('.')[0]);
      sqlite.close();
      return value;
    };
    const created = lastUsed();
    server.advance(30 * 60_000);
    await server.client(token).auth.check.query();
    expect(lastUsed()).toBe(created);
    expect(new Date(created as string).getTime()).toBe(server.now().getTime() - 30 * 60_000);
    server.advance(31 * 60_000);
    await server.client(token).auth.check.query();
    expect(new Date(lastUsed() as string).getTime()).toBe(server.now().getTime());
  });
});

describe('auth.logout', () => {
  it('ends only the current session, at once', async () => {
    const phone = await login('olivia');
    const tablet = await login('olivia');
    await expect(server.client(phone.token).auth.logout.mutate()).resolves.toEqual({ loggedOut: true });
    await expect(server.client(phone.token).auth.check.query()).resolves.toEqual({ valid: false, expiresAt: null });
    expect((await trpcError(server.client(phone.token).auth.logout.mutate())).data?.code).toBe('UNAUTHORIZED');
    await expect(server.client(tablet.token).auth.check.query()).resolves.toMatchObject({ valid: true });
  });

  it('requires a session', async () => {
    const error = await trpcError(server.client().auth.logout.mutate());
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
  });
});

describe('secrets', () => {
  it('never show a session_key or a token in logs, nor a session_key, token or openid in a response other than the login that issued the token', async () => {
    // Its own traffic (logins, checks, a logout), plus whatever the other tests of this file sent before it.
    const users = ['alice', 'bob', 'carol', 'heidi', 'ivan', 'judy'];
    for (const user of users) {
      const { token } = await login(user);
      await server.client(token).auth.check.query();
      await server.client(token).order.list.query();
    }
    await server.client(issuedTokens.at(-1)).auth.logout.mutate();
    const identities = await Promise.all(users.map(emulatedUser));
    expect(server.logs.length).toBeGreaterThan(10);
    const logText = server.logs.join('\n');
    for (const { openid, sessionKey } of identities) {
      expect(logText).not.toContain(sessionKey);
      for (const body of server.bodies) {
        expect(body).not.toContain(sessionKey);
        expect(body).not.toContain(openid);
      }
    }
    expect(logText).not.toContain(testSecret);
    expect(issuedTokens.length).toBeGreaterThan(5);
    for (const token of issuedTokens) {
      const secret = token.split('.')[1]!;
      expect(logText).not.toContain(secret);
      expect(server.bodies.filter((body) => body.includes(secret))).toHaveLength(1);
    }
  });
});

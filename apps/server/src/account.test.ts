// account.* and the shared access token over HTTP with tRPC's client, on SQLite and (with TEST_POSTGRES_URL) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type OpenedTestDatabase } from './testing/testDatabases.ts';
import { startTestServer, trpcError, type TestServer } from './testing/startTestServer.ts';

describe.each(testDatabases)('on %s', (_name, open) => {
  let server: TestServer;
  let database: OpenedTestDatabase;
  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ env: { PUBLIC_BASE_URL: 'https://api.example.com/', ...database.env } });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  describe('account.me', () => {
    it('shows the profile with the phone masked and an uploaded avatar as an absolute URL', async () => {
      const { token, user } = await server.login('me-full');
      await server.db.avatar.create({ data: { id: 'me-avatar-aaaaaaaaaaaaaa', userId: user.id, contentType: 'image/png', bytes: new Uint8Array([1]), createdAt: new Date() } });
      await server.db.user.update({ where: { id: user.id }, data: { nickName: '小明', avatarId: 'me-avatar-aaaaaaaaaaaaaa', phoneNumber: '13800138000', phoneCountryCode: '86' } });
      expect(await server.client(token).account.me.query()).toEqual({
        id: user.id,
        nickName: '小明',
        avatarUrl: 'https://api.example.com/avatars/me-avatar-aaaaaaaaaaaaaa',
        phone: '138****8000',
        phoneCountryCode: '86',
      });
    });

    it('shows nulls for a fresh account', async () => {
      const { token, user } = await server.login('me-empty');
      expect(await server.client(token).account.me.query()).toEqual({ id: user.id, nickName: null, avatarUrl: null, phone: null, phoneCountryCode: null });
    });

    it('requires a session', async () => {
      const error = await trpcError(server.client(null).account.me.query());
      expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SESSION_INVALID' });
    });
  });

  const phoneCode = async (user: string) => ((await server.emulatorPost('/emulator/phone-code', { user })) as { code: string }).code;
  const fault = (body: object) => server.emulatorPost('/emulator/faults', body);
  const clearFaults = () => fetch(`${server.emulator.url}/emulator/faults`, { method: 'DELETE' });
  const stats = async () =>
    (await (await fetch(`${server.emulator.url}/emulator/stats`)).json()) as { phoneNumberRequests: number; textCheckRequests: number; stableTokenRequests: number };

  describe('account.bindPhone', () => {
    it('stores the number WeChat gives for the code and answers it masked', async () => {
      const { token, user } = await server.login('phone-ok');
      const me = await server.client(token).account.bindPhone.mutate({ code: await phoneCode('phone-ok') });
      expect(me).toMatchObject({ id: user.id, phone: expect.stringMatching(/^138\*{4}\d{4}$/), phoneCountryCode: '86' });
      const stored = await server.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { phoneNumber: true } });
      expect(stored.phoneNumber).toMatch(/^138\d{8}$/);
      expect(me.phone).toBe(`${stored.phoneNumber!.slice(0, 3)}****${stored.phoneNumber!.slice(-4)}`);
      expect(await server.client(token).account.me.query()).toEqual(me);
    });

    it('replaces the number on a second binding, and lets two users bind the same one', async () => {
      const { token } = await server.login('phone-twice');
      await fetch(`${server.emulator.url}/emulator/users/phone-twice`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ purePhoneNumber: '13912345678' }),
      });
      expect((await server.client(token).account.bindPhone.mutate({ code: await phoneCode('phone-twice') })).phone).toBe('139****5678');
      await fetch(`${server.emulator.url}/emulator/users/phone-twice`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ purePhoneNumber: '6591234567', countryCode: '65' }),
      });
      expect(await server.client(token).account.bindPhone.mutate({ code: await phoneCode('phone-twice') })).toMatchObject({ phone: '659***4567', phoneCountryCode: '65' });
      const other = await server.login('phone-shared');
      await fetch(`${server.emulator.url}/emulator/users/phone-shared`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ purePhoneNumber: '6591234567', countryCode: '65' }),
      });
      expect((await server.client(other.token).account.bindPhone.mutate({ code: await phoneCode('phone-shared') })).phone).toBe('659***4567');
    });

    it('refuses an invalid, reused or foreign code with PHONE_CODE_INVALID, and sends a code to WeChat at most once', async () => {
      const { token } = await server.login('phone-bad');
      const client = server.client(token);
      for (const code of ['never-issued', await phoneCode('someone-else')]) {
        expect((await trpcError(client.account.bindPhone.mutate({ code }))).data).toMatchObject({ code: 'BAD_REQUEST', reason: 'PHONE_CODE_INVALID' });
      }
      const code = await phoneCode('phone-bad');
      await client.account.bindPhone.mutate({ code });
      const before = (await stats()).phoneNumberRequests;
      expect((await trpcError(client.account.bindPhone.mutate({ code }))).data).toMatchObject({ code: 'BAD_REQUEST', reason: 'PHONE_CODE_INVALID' });
      expect((await stats()).phoneNumberRequests).toBe(before); // refused here, not sent again
    });

    it('maps WeChat faults: 45011 TOO_MANY_REQUESTS, -1 retried then BAD_GATEWAY, a timeout GATEWAY_TIMEOUT without a retry', async () => {
      const { token } = await server.login('phone-faults');
      const client = server.client(token);
      try {
        await fault({ endpoint: 'getuserphonenumber', kind: 'errcode', errcode: 45011, count: 1 });
        expect((await trpcError(client.account.bindPhone.mutate({ code: await phoneCode('phone-faults') }))).data).toMatchObject({
          code: 'TOO_MANY_REQUESTS',
          reason: 'WECHAT_RATE_LIMITED',
        });
        await fault({ endpoint: 'getuserphonenumber', kind: 'busy' });
        expect((await trpcError(client.account.bindPhone.mutate({ code: await phoneCode('phone-faults') }))).data).toMatchObject({
          code: 'BAD_GATEWAY',
          reason: 'WECHAT_UNAVAILABLE',
        });
        await clearFaults();
        await fault({ endpoint: 'getuserphonenumber', kind: 'hang', count: 1 });
        const before = (await stats()).phoneNumberRequests;
        expect((await trpcError(client.account.bindPhone.mutate({ code: await phoneCode('phone-faults') }))).data).toMatchObject({
          code: 'GATEWAY_TIMEOUT',
          reason: 'WECHAT_TIMEOUT',
        });
        expect((await stats()).phoneNumberRequests - before).toBe(1);
      } finally {
        await clearFaults();
      }
    });

    it('refuses an answer whose watermark names another appid, storing nothing', async () => {
      const { token, user } = await server.login('phone-watermark');
      await fetch(`${server.emulator.url}/emulator/users/phone-watermark`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ watermarkAppid: 'wx0000000000000000' }),
      });
      const error = await trpcError(server.client(token).account.bindPhone.mutate({ code: await phoneCode('phone-watermark') }));
      expect(error.data).toMatchObject({ code: 'BAD_GATEWAY', reason: 'WECHAT_RESPONSE_INVALID' });
      expect((await server.db.user.findUniqueOrThrow({ where: { id: user.id } })).phoneNumber).toBeNull();
    });

    it('allows 5 bindings per user per hour', async () => {
      const { token } = await server.login('phone-many');
      const results: string[] = [];
      for (let i = 0; i < 6; i++) {
        results.push(
          await server
            .client(token)
            .account.bindPhone.mutate({ code: await phoneCode('phone-many') })
            .then(
              () => 'ok',
              (error: { data?: { code?: string } }) => error.data?.code ?? 'error',
            ),
        );
      }
      expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'TOO_MANY_REQUESTS']);
    });
  });

  describe('account.updateProfile', () => {
    it('sets a nickname WeChat passes, trimmed, and an avatar the user uploaded', async () => {
      const { token, user } = await server.login('profile-ok');
      await server.db.avatar.create({ data: { id: 'profile-avatar-aaaaaaaaa', userId: user.id, contentType: 'image/png', bytes: new Uint8Array([1]), createdAt: new Date() } });
      const me = await server.client(token).account.updateProfile.mutate({ nickName: '  阿明  ', avatarId: 'profile-avatar-aaaaaaaaa' });
      expect(me).toMatchObject({ nickName: '阿明', avatarUrl: 'https://api.example.com/avatars/profile-avatar-aaaaaaaaa' });
    });

    it('refuses a risky nickname (CONTENT_RISKY), accepts one for review, and fails closed when WeChat is down', async () => {
      const { token } = await server.login('profile-check');
      const client = server.client(token);
      expect((await trpcError(client.account.updateProfile.mutate({ nickName: '违禁昵称' }))).data).toMatchObject({ code: 'BAD_REQUEST', reason: 'CONTENT_RISKY' });
      const before = server.logs.length;
      expect((await client.account.updateProfile.mutate({ nickName: '待审昵称' })).nickName).toBe('待审昵称');
      const logged = server.logs.slice(before).join('\n');
      expect(logged).toContain('nickname accepted pending review');
      expect(logged).not.toContain('待审昵称');
      try {
        await fault({ endpoint: 'msg_sec_check', kind: 'busy' });
        expect((await trpcError(client.account.updateProfile.mutate({ nickName: 'Ann' }))).data).toMatchObject({ code: 'BAD_GATEWAY', reason: 'WECHAT_UNAVAILABLE' });
      } finally {
        await clearFaults();
      }
      expect((await client.account.me.query()).nickName).toBe('待审昵称');
    });

    it("refuses another user's avatar, an unknown one, and bad input", async () => {
      const owner = await server.login('profile-owner');
      const { token } = await server.login('profile-thief');
      await server.db.avatar.create({
        data: { id: 'owner-avatar-aaaaaaaaaaa', userId: owner.user.id, contentType: 'image/png', bytes: new Uint8Array([1]), createdAt: new Date() },
      });
      const client = server.client(token);
      for (const avatarId of ['owner-avatar-aaaaaaaaaaa', 'unknown-avatar-aaaaaaaaa']) {
        expect((await trpcError(client.account.updateProfile.mutate({ avatarId }))).data).toMatchObject({ code: 'BAD_REQUEST', reason: 'AVATAR_NOT_FOUND' });
      }
      for (const input of [{}, { nickName: '   ' }, { nickName: 'x'.repeat(33) }, { nickName: 'a\u0000b' }, { avatarId: '../x' }]) {
        expect((await trpcError(client.account.updateProfile.mutate(input as never))).data?.code, JSON.stringify(input)).toBe('BAD_REQUEST');
      }
    });

    it('is never overwritten by a later login, which fills only empty fields and never the anonymous profile', async () => {
      const loginWithUserInfo = async (user: string) => {
        const code = await server.mint(user);
        const { encryptedData, iv } = (await server.emulatorPost('/emulator/wx-getuserinfo', { user })) as { encryptedData: string; iv: string };
        return server.client().auth.login.mutate({ code, encryptedData, iv });
      };
      const { token } = await server.login('profile-kept');
      await server.client(token).account.updateProfile.mutate({ nickName: '自己起的名' });
      await fetch(`${server.emulator.url}/emulator/users/profile-kept`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nickName: 'From WeChat', avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/real/132' }),
      });
      const again = await loginWithUserInfo('profile-kept');
      expect(again.user).toMatchObject({ nickName: '自己起的名', avatarUrl: 'https://thirdwx.qlogo.cn/mmopen/real/132' }); // the empty avatar is filled
      // The emulator's default profile is WeChat's anonymous one (微信用户, grey avatar): never stored.
      const anonymous = await loginWithUserInfo('profile-anonymous');
      expect(anonymous.user).toMatchObject({ nickName: null, avatarUrl: null });
    });
  });

  describe('the shared access token', () => {
    it('is fetched once for many calls, and the AppSecret and token never reach a response or log', async () => {
      const before = (await stats()).stableTokenRequests;
      const { token } = await server.login('token-user');
      await Promise.all(Array.from({ length: 5 }, () => server.client(token).account.updateProfile.mutate({ nickName: 'Same' })));
      expect((await stats()).stableTokenRequests - before).toBeLessThanOrEqual(1);
      const issued = (await (await fetch(`${server.emulator.url}/emulator/issued`)).json()) as { accessTokens: string[] };
      expect(issued.accessTokens.length).toBeGreaterThan(0);
      for (const accessToken of issued.accessTokens) {
        expect(server.logs.join('\n')).not.toContain(accessToken);
        expect(server.bodies.join('\n')).not.toContain(accessToken);
      }
    });
  });
});

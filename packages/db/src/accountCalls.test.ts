// WechatClient.getPhoneNumber and checkText against the emulator over HTTP, their access_token from the
// manager over this package's store.
import { createWechatClient, emulatedOpenid, WechatError, type WechatClientOptions } from '@wxtrpc/wechat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, everythingIn, rejection, startWechatWorld, type TwoInstances, type WechatWorld } from './testing/wechatTestBed.ts';

describe.each(databaseKinds)('WeChat account calls with the access_token on %s', (_kind, open) => {
  let instances: TwoInstances;
  beforeAll(async () => {
    instances = await open();
  });
  afterAll(() => instances?.close());

  const setUp = async (options: Partial<WechatClientOptions> = {}) => {
    const world = await startWechatWorld(instances);
    const client = createWechatClient({ appid: world.appid, secret: world.secret, baseUrl: world.url, retryDelayMs: 5, accessTokens: world.manager(0), ...options });
    const phoneCode = async (user: string) => (await world.post('/emulator/phone-code', { user })).code as string;
    return { world, client, phoneCode, openid: (user: string) => emulatedOpenid(world.appid, user) };
  };
  /** The WechatError a call fails with, which never shows the secret, the access_token, the code or a phone number. */
  const failure = async (world: WechatWorld, call: Promise<unknown>, code = '') => {
    const error = await rejection(call);
    expect(error).toBeInstanceOf(WechatError);
    const { accessTokens, phoneNumbers } = await world.issued();
    for (const secret of [world.secret, ...accessTokens, ...phoneNumbers, ...(code ? [code] : [])]) expect(everythingIn(error)).not.toContain(secret);
    return error as WechatError;
  };

  describe('getPhoneNumber', () => {
    it('returns the number, pure number, country code and watermark', async () => {
      const { world, client, phoneCode, openid } = await setUp();
      const result = await client.getPhoneNumber({ code: await phoneCode('alice'), openid: openid('alice') });
      expect(result).toEqual({
        phoneNumber: expect.stringMatching(/^138\d{8}$/),
        purePhoneNumber: result.phoneNumber,
        countryCode: '86',
        watermark: { appid: world.appid, timestamp: Math.floor(world.clock.now / 1000) },
      });
      expect((await world.issued()).phoneNumbers).toEqual([result.purePhoneNumber]);
    });

    it('returns a number outside mainland China with its country code, and the watermark as WeChat gave it', async () => {
      const { world, client, phoneCode } = await setUp();
      await world.send('PATCH', '/emulator/users/bob', { countryCode: '852', purePhoneNumber: '51234567', watermarkAppid: 'wxanotherapp000000' });
      expect(await client.getPhoneNumber({ code: await phoneCode('bob') })).toEqual({
        phoneNumber: '+852 51234567',
        purePhoneNumber: '51234567',
        countryCode: '852',
        watermark: { appid: 'wxanotherapp000000', timestamp: expect.any(Number) },
      });
    });

    it('maps a used, unknown, expired or other user’s code to WECHAT_PHONE_CODE_INVALID (40029), sending it once', async () => {
      const { world, client, phoneCode, openid } = await setUp();
      const code = await phoneCode('carol');
      await client.getPhoneNumber({ code });
      const late = await phoneCode('carol');
      world.clock.now += 5 * 60_000;
      const fresh = await phoneCode('bob');
      for (const input of [{ code }, { code: 'a'.repeat(64) }, { code: late }, { code: fresh, openid: openid('carol') }]) {
        const error = await failure(world, client.getPhoneNumber(input), input.code);
        expect([error.reason, error.errcode]).toEqual(['WECHAT_PHONE_CODE_INVALID', 40029]);
      }
      expect((await world.stats()).phoneNumberRequests).toBe(5);
    });

    it.each([
      [45011, 'WECHAT_RATE_LIMITED'],
      [40013, 'WECHAT_CONFIG_REJECTED'],
      [40125, 'WECHAT_CONFIG_REJECTED'],
      [99999, 'WECHAT_ERROR'],
    ])('maps errcode %i to %s without retrying', async (errcode, reason) => {
      const { world, client, phoneCode } = await setUp();
      await world.inject('getuserphonenumber', { kind: 'errcode', errcode, count: 1 });
      const code = await phoneCode('dave');
      const error = await failure(world, client.getPhoneNumber({ code }), code);
      expect([error.reason, error.errcode]).toEqual([reason, errcode]);
      expect((await world.stats()).phoneNumberRequests).toBe(1);
    });

    it('retries errcode -1 (answered before the code is used) with backoff, then gives up with WECHAT_UNAVAILABLE', async () => {
      const { world, client, phoneCode } = await setUp();
      await world.inject('getuserphonenumber', { kind: 'busy', count: 2 });
      await expect(client.getPhoneNumber({ code: await phoneCode('erin') })).resolves.toHaveProperty('countryCode', '86');
      expect((await world.stats()).phoneNumberRequests).toBe(3);
      await world.inject('getuserphonenumber', { kind: 'busy' });
      const code = await phoneCode('erin');
      const error = await failure(world, client.getPhoneNumber({ code }), code);
      expect([error.reason, error.errcode]).toEqual(['WECHAT_UNAVAILABLE', -1]);
      expect((await world.stats()).phoneNumberRequests).toBe(6);
    });

    it.each([
      ['a timeout', 'hang', 'WECHAT_TIMEOUT'],
      ['a connection lost mid-request', 'drop', 'WECHAT_UNAVAILABLE'],
      ['HTTP 500', 'http500', 'WECHAT_UNAVAILABLE'],
      ['a truncated body', 'garbage', 'WECHAT_UNAVAILABLE'],
    ])('sends the code once when the outcome is unknown: %s is %s, never retried', async (_name, kind, reason) => {
      const { world, client, phoneCode } = await setUp(kind === 'hang' ? { timeoutMs: 500 } : {});
      await world.manager(0).get(); // the token fetch is not what is tested
      await world.inject('getuserphonenumber', { kind, count: 1 });
      const code = await phoneCode('frank');
      expect((await failure(world, client.getPhoneNumber({ code }), code)).reason).toBe(reason);
      expect((await world.stats()).phoneNumberRequests).toBe(1);
    });

    it('refetches the access_token once after 40001, before WeChat uses the code', async () => {
      const { world, client, phoneCode } = await setUp();
      await world.manager(1).get();
      await world.post('/emulator/access-token/revoke');
      await expect(client.getPhoneNumber({ code: await phoneCode('gina') })).resolves.toHaveProperty('countryCode', '86');
      expect(await world.stats()).toMatchObject({ phoneNumberRequests: 2, stableTokenRequests: 2, forceRefreshRequests: 0 });
    });

    it('reports a missing accessTokens option as a programming error', async () => {
      const { world } = await setUp();
      const bare = createWechatClient({ appid: world.appid, secret: world.secret, baseUrl: world.url });
      await expect(bare.getPhoneNumber({ code: 'x' })).rejects.toThrow(/accessTokens/);
      await expect(bare.checkText({ content: 'x', openid: 'o', scene: 1 })).rejects.toThrow(/accessTokens/);
    });
  });

  describe('checkText', () => {
    it.each([
      ['a friendly nickname', 'pass', 100],
      ['包含违禁词', 'risky', 20006],
      ['a review-word inside', 'review', 21000],
    ])('rates %j as %s (label %i)', async (content, suggest, label) => {
      const { client, openid } = await setUp();
      expect(await client.checkText({ content, openid: openid('alice'), scene: 1 })).toEqual({ suggest, label });
    });

    it('retries errcode -1 with backoff, then gives up with WECHAT_UNAVAILABLE', async () => {
      const { world, client, openid } = await setUp();
      await world.inject('msg_sec_check', { kind: 'busy', count: 2 });
      expect(await client.checkText({ content: 'hi', openid: openid('alice'), scene: 2 })).toEqual({ suggest: 'pass', label: 100 });
      await world.inject('msg_sec_check', { kind: 'busy' });
      const error = await failure(world, client.checkText({ content: 'hi', openid: openid('alice'), scene: 2 }));
      expect([error.reason, error.errcode]).toEqual(['WECHAT_UNAVAILABLE', -1]);
      expect((await world.stats()).textCheckRequests).toBe(6);
    });

    it.each([
      ['errcode 87014', { kind: 'errcode', errcode: 87014 }, 'WECHAT_UNAVAILABLE', 87014],
      ['errcode 40013', { kind: 'errcode', errcode: 40013 }, 'WECHAT_UNAVAILABLE', 40013],
      ['HTTP 500', { kind: 'http500' }, 'WECHAT_UNAVAILABLE', undefined],
      ['an empty body', { kind: 'empty' }, 'WECHAT_UNAVAILABLE', undefined],
      ['no answer', { kind: 'hang' }, 'WECHAT_TIMEOUT', undefined],
    ])('reports %s as %s', async (_name, fault, reason, errcode) => {
      const { world, client, openid } = await setUp(fault.kind === 'hang' ? { timeoutMs: 500 } : {});
      await world.manager(0).get();
      await world.inject('msg_sec_check', { ...fault, count: 1 });
      const error = await failure(world, client.checkText({ content: 'hi', openid: openid('alice'), scene: 3 }));
      expect([error.reason, error.errcode]).toEqual([reason, errcode]);
      expect((await world.stats()).textCheckRequests).toBe(1);
    });

    it('reports a refused access_token fetch as WECHAT_UNAVAILABLE, keeping what to check', async () => {
      const { world, client, openid } = await setUp();
      await world.post('/emulator/ip-whitelist', { whitelisted: false });
      const error = await failure(world, client.checkText({ content: 'hi', openid: openid('alice'), scene: 4 }));
      expect([error.reason, error.errcode]).toEqual(['WECHAT_UNAVAILABLE', 40164]);
      expect(error.message).toMatch(/IP whitelist/);
    });

    it('retries once with a fresh access_token after 40001, and stops when that one fails too', async () => {
      const { world, client, openid } = await setUp();
      const check = () => client.checkText({ content: 'hi', openid: openid('alice'), scene: 1 });
      await check();
      await world.post('/emulator/access-token/revoke');
      expect(await check()).toEqual({ suggest: 'pass', label: 100 });
      expect(await world.stats()).toMatchObject({ textCheckRequests: 3, stableTokenRequests: 2 });
      await world.inject('msg_sec_check', { kind: 'errcode', errcode: 40001 });
      const error = await failure(world, check());
      expect([error.reason, error.errcode]).toEqual(['WECHAT_UNAVAILABLE', 40001]);
      expect(await world.stats()).toMatchObject({ textCheckRequests: 5, stableTokenRequests: 4, forceRefreshRequests: 1 });
    });
  });
});

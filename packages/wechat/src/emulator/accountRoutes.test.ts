// The emulator's account APIs over HTTP, as a client of WeChat would see them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatedOpenid } from './emulatedIdentity.ts';
import type { EmulatorStats } from './emulatorContext.ts';
import { startWechatEmulator, type RunningWechatEmulator } from './startWechatEmulator.ts';

const appid = 'wx1234567890abcdef';
const secret = '0123456789abcdef0123456789abcdef';
const t0 = Date.parse('2026-12-01T02:00:00Z'); // 10:00 in Beijing
let clock: number;
let emulator: RunningWechatEmulator;

beforeEach(async () => {
  clock = t0;
  emulator = await startWechatEmulator({ appid, secret, now: () => clock });
});
afterEach(() => emulator.close());

const send = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as Record<string, any>;
};
const post = (path: string, body: unknown = {}) => send('POST', path, body);
const stableToken = (force = false, credentials = { appid, secret }) => post('/cgi-bin/stable_token', { grant_type: 'client_credential', ...credentials, force_refresh: force });
const stats = async () => (await send('GET', '/emulator/stats')) as EmulatorStats;
const phoneCode = async (user: string) => (await post('/emulator/phone-code', { user })).code as string;
const phoneNumber = (token: string, body: unknown) => post(`/wxa/business/getuserphonenumber?access_token=${token}`, body);
const checkText = (token: string, content: string) => post(`/wxa/msg_sec_check?access_token=${token}`, { content, version: 2, scene: 2, openid: emulatedOpenid(appid, 'alice') });

describe('stable_token', () => {
  it('hands back the current token in normal mode until it expires, with the time left', async () => {
    const first = await stableToken();
    expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    clock += 7_000_000;
    expect(await stableToken()).toEqual({ access_token: first.access_token, expires_in: 200 });
    clock += 200_000;
    const next = await stableToken();
    expect(next.access_token).not.toBe(first.access_token);
    expect(next.expires_in).toBe(7200);
    expect(await stats()).toMatchObject({ stableTokenRequests: 3, forceRefreshRequests: 0 });
  });

  it('makes a new token in force mode, the previous one working 5 more minutes, at most 20 a Beijing day and 30 s apart', async () => {
    const first = (await stableToken()).access_token;
    const forced = (await stableToken(true)).access_token;
    expect(forced).not.toBe(first);
    expect((await stableToken()).access_token).toBe(forced);
    expect((await checkText(first, 'hello')).errcode).toBe(0);
    clock += 5 * 60_000;
    expect((await checkText(first, 'hello')).errcode).toBe(40001);
    expect((await checkText(forced, 'hello')).errcode).toBe(0);

    expect((await stableToken(true)).errcode).toBe(undefined); // 5 minutes later: allowed
    expect((await stableToken(true)).errcode).toBe(45011); // not 30 s apart
    for (let i = 3; i <= 20; i++) {
      clock += 30_000;
      expect((await stableToken(true)).access_token).toEqual(expect.any(String));
    }
    clock += 30_000;
    expect((await stableToken(true)).errcode).toBe(45009);
    clock = Date.parse('2026-12-01T16:00:00Z'); // midnight in Beijing
    expect((await stableToken(true)).access_token).toEqual(expect.any(String));
    expect(await stats()).toMatchObject({ stableTokenRequests: 25, forceRefreshRequests: 23 });
  });

  it.each([
    ['a wrong appid', { appid: 'wx0000000000000000', secret }, 40013],
    ['a wrong secret', { appid, secret: 'f'.repeat(32) }, 40125],
    ['a missing secret', { appid, secret: '' }, 41004],
  ])('refuses %s', async (_name, credentials, errcode) => {
    expect(await stableToken(false, credentials)).toMatchObject({ errcode });
  });

  it('refuses our IP while switched off the whitelist, naming it', async () => {
    await post('/emulator/ip-whitelist', { whitelisted: false });
    expect(await stableToken()).toMatchObject({ errcode: 40164, errmsg: expect.stringMatching(/^invalid ip 127\.0\.0\.1 /) });
    await post('/emulator/ip-whitelist', { whitelisted: true });
    expect(await stableToken()).toHaveProperty('access_token');
  });

  it('takes faults of its own, leaving jscode2session alone', async () => {
    await post('/emulator/faults', { kind: 'busy', count: 1, endpoint: 'stable_token' });
    expect(await stableToken()).toMatchObject({ errcode: -1 });
    expect(await stableToken()).toHaveProperty('access_token');
    await post('/emulator/faults', { kind: 'busy', count: 1 }); // no endpoint: jscode2session
    expect(await stableToken()).toHaveProperty('access_token');
  });
});

describe('APIs that take an access_token', () => {
  it.each([
    ['getuserphonenumber', (token: string) => phoneNumber(token, { code: 'x' })],
    ['msg_sec_check', (token: string) => checkText(token, 'hello')],
  ])('%s answers 41001 without one, 40001 for an unknown or revoked token, 42001 for an expired one', async (_name, call) => {
    expect((await call('')).errcode).toBe(41001);
    expect((await call('not-a-token')).errcode).toBe(40001);
    const token = (await stableToken()).access_token;
    expect((await call(token)).errcode).not.toBe(40001);
    clock += 7_200_000;
    expect((await call(token)).errcode).toBe(42001);
    const next = (await stableToken()).access_token;
    expect(await post('/emulator/access-token/revoke')).toEqual({ revoked: true });
    expect((await call(next)).errcode).toBe(40001);
    expect((await stableToken()).access_token).not.toBe(next); // normal mode makes a new one
  });

  it('keeps handing out a token revoked with stillIssued until a force refresh', async () => {
    const token = (await stableToken()).access_token;
    await post('/emulator/access-token/revoke', { stillIssued: true });
    expect((await checkText(token, 'hi')).errcode).toBe(40001);
    expect((await stableToken()).access_token).toBe(token);
    const forced = (await stableToken(true)).access_token;
    expect((await checkText(forced, 'hi')).errcode).toBe(0);
  });
});

describe('getuserphonenumber', () => {
  it('answers a one-time code with the user’s number and a watermark naming our appid', async () => {
    const token = (await stableToken()).access_token;
    const code = await phoneCode('alice');
    const answer = await phoneNumber(token, { code, openid: emulatedOpenid(appid, 'alice') });
    expect(answer).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: expect.stringMatching(/^138\d{8}$/),
        purePhoneNumber: answer.phone_info.phoneNumber,
        countryCode: '86',
        watermark: { appid, timestamp: Math.floor(clock / 1000) },
      },
    });
    expect((await phoneNumber(token, { code })).errcode).toBe(40029); // single use
    expect((await send('GET', '/emulator/issued')).phoneNumbers).toEqual([answer.phone_info.purePhoneNumber]);
    expect((await send('GET', '/emulator/issued')).accessTokens).toEqual([token]);
  });

  it('answers 40029 for an unknown code, an expired one, or another user’s', async () => {
    const token = (await stableToken()).access_token;
    expect((await phoneNumber(token, { code: 'f'.repeat(64) })).errcode).toBe(40029);
    const bobs = await phoneCode('bob');
    expect((await phoneNumber(token, { code: bobs, openid: emulatedOpenid(appid, 'alice') })).errcode).toBe(40029);
    expect((await phoneNumber(token, { code: bobs, openid: emulatedOpenid(appid, 'bob') })).errcode).toBe(0);
    const late = await phoneCode('bob');
    clock += 5 * 60_000;
    expect((await phoneNumber(token, { code: late })).errcode).toBe(40029);
  });

  it('gives a number set by PATCH, with its country code, and a watermark appid set for a test', async () => {
    await send('PATCH', '/emulator/users/carol', { countryCode: '1', purePhoneNumber: '4155550123', watermarkAppid: 'wxsomeoneelse00000' });
    const token = (await stableToken()).access_token;
    const { phone_info } = await phoneNumber(token, { code: await phoneCode('carol') });
    expect(phone_info).toMatchObject({ phoneNumber: '+1 4155550123', purePhoneNumber: '4155550123', countryCode: '1', watermark: { appid: 'wxsomeoneelse00000' } });
  });

  it('does not use the code when the token is refused', async () => {
    const code = await phoneCode('dave');
    expect((await phoneNumber('stale', { code })).errcode).toBe(40001);
    expect((await phoneNumber((await stableToken()).access_token, { code })).errcode).toBe(0);
    expect((await stats()).phoneNumberRequests).toBe(2);
  });
});

describe('msg_sec_check', () => {
  it.each([
    ['hello there', 'pass', 100],
    ['这是违禁内容', 'risky', 20006],
    ['contains a forbidden-word here', 'risky', 20006],
    ['needs a review-word', 'review', 21000],
  ])('rates %j as %s', async (content, suggest, label) => {
    const answer = await checkText((await stableToken()).access_token, content);
    expect(answer).toMatchObject({ errcode: 0, result: { suggest, label }, detail: [{ suggest, label }] });
  });

  it('answers 47001 for a body that is not version 2 with content, scene and openid', async () => {
    const token = (await stableToken()).access_token;
    expect((await post(`/wxa/msg_sec_check?access_token=${token}`, { content: 'x', version: 1, scene: 2, openid: 'o' })).errcode).toBe(47001);
    expect((await post(`/wxa/msg_sec_check?access_token=${token}`, { content: 'x', version: 2, scene: 2 })).errcode).toBe(47001);
    expect((await post(`/wxa/msg_sec_check?access_token=${token}`, { content: 'x'.repeat(2501), version: 2, scene: 2, openid: 'o' })).errcode).toBe(47001);
  });

  it('takes faults of its own, counted in the stats', async () => {
    const token = (await stableToken()).access_token;
    await post('/emulator/faults', { kind: 'errcode', errcode: 87014, count: 1, endpoint: 'msg_sec_check' });
    expect(await checkText(token, 'hello')).toMatchObject({ errcode: '87014' });
    expect(await checkText(token, 'hello')).toMatchObject({ errcode: 0 });
    expect(await stats()).toMatchObject({ textCheckRequests: 2, phoneNumberRequests: 0, exchangeRequests: 0 });
  });
});

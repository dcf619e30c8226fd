import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWechatClient, type WechatClient } from './createWechatClient.ts';
import { startWechatEmulator, type RunningWechatEmulator } from './emulator/startWechatEmulator.ts';
import { emulatedOpenid, emulatedUnionid } from './emulator/emulatedIdentity.ts';
import { WechatError } from './WechatError.ts';

const appid = 'wx1234567890abcdef';
const secret = '0123456789abcdef0123456789abcdef';
let clock = Date.now();
let emulator: RunningWechatEmulator;
let client: WechatClient;

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
  return response.json();
};
const mint = async (user = 'alice'): Promise<string> => ((await post('/emulator/wx-login', { user })) as { code: string }).code;
const inject = (fault: Record<string, unknown>) => post('/emulator/faults', fault);
const exchanges = async () => ((await (await fetch(`${emulator.url}/emulator/stats`)).json()) as { exchangeRequests: number }).exchangeRequests;
const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WechatError);
  return error as WechatError;
};

beforeAll(async () => {
  emulator = await startWechatEmulator({ appid, secret, now: () => clock, loginsPerMinute: 5 });
  client = createWechatClient({ appid, secret, baseUrl: emulator.url, timeoutMs: 500, retryDelayMs: 5 });
});
afterEach(() => fetch(`${emulator.url}/emulator/faults`, { method: 'DELETE' }));
afterAll(() => emulator.close());

describe('code2Session against the emulator', () => {
  it('exchanges a code for openid, session_key and unionid', async () => {
    const result = await client.code2Session(await mint('alice'));
    expect(result.openid).toBe(emulatedOpenid(appid, 'alice'));
    expect(result.openid).toHaveLength(28);
    expect(result.unionid).toBe(emulatedUnionid('alice'));
    expect(Buffer.from(result.sessionKey, 'base64')).toHaveLength(16);
  });

  it('gets a fresh session_key per login and a stable openid', async () => {
    const first = await client.code2Session(await mint('bob'));
    const second = await client.code2Session(await mint('bob'));
    expect(second.openid).toBe(first.openid);
    expect(second.sessionKey).not.toBe(first.sessionKey);
  });

  it('maps an unknown code to WECHAT_CODE_INVALID (40029) without retrying', async () => {
    const before = await exchanges();
    const error = await failure(client.code2Session('not-a-code'));
    expect([error.reason, error.errcode]).toEqual(['WECHAT_CODE_INVALID', 40029]);
    expect(await exchanges()).toBe(before + 1);
  });

  it('maps an expired code to WECHAT_CODE_INVALID', async () => {
    const code = await mint();
    clock += 5 * 60_000 + 1;
    expect((await failure(client.code2Session(code))).reason).toBe('WECHAT_CODE_INVALID');
  });

  it('maps a reused code to WECHAT_CODE_USED (40163)', async () => {
    const code = await mint('carol');
    await client.code2Session(code);
    const error = await failure(client.code2Session(code));
    expect([error.reason, error.errcode]).toEqual(['WECHAT_CODE_USED', 40163]);
  });

  it('maps a blocked user to WECHAT_USER_BLOCKED (40226)', async () => {
    await fetch(`${emulator.url}/emulator/users/mallory`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"blocked":true}' });
    const error = await failure(client.code2Session(await mint('mallory')));
    expect([error.reason, error.errcode]).toEqual(['WECHAT_USER_BLOCKED', 40226]);
  });

  it('maps the per-user minute quota to WECHAT_RATE_LIMITED (45011)', async () => {
    for (let i = 0; i < 5; i++) await client.code2Session(await mint('busybee'));
    const error = await failure(client.code2Session(await mint('busybee')));
    expect([error.reason, error.errcode]).toEqual(['WECHAT_RATE_LIMITED', 45011]);
    clock += 61_000;
    await expect(client.code2Session(await mint('busybee'))).resolves.toHaveProperty('openid');
  });

  it('reports a wrong secret or appid as WECHAT_CONFIG_REJECTED', async () => {
    const wrongSecret = createWechatClient({ appid, secret: 'f'.repeat(32), baseUrl: emulator.url });
    expect((await failure(wrongSecret.code2Session(await mint()))).errcode).toBe(40125);
    const wrongAppid = createWechatClient({ appid: 'wx0000000000000000', secret, baseUrl: emulator.url });
    const error = await failure(wrongAppid.code2Session(await mint()));
    expect([error.reason, error.errcode]).toEqual(['WECHAT_CONFIG_REJECTED', 40013]);
  });

  it('retries errcode -1 with backoff and succeeds when WeChat recovers', async () => {
    await inject({ kind: 'busy', count: 2 });
    const before = await exchanges();
    await expect(client.code2Session(await mint('dave'))).resolves.toHaveProperty('openid', emulatedOpenid(appid, 'dave'));
    expect(await exchanges()).toBe(before + 3);
  });

  it('gives up on errcode -1 after a bounded number of attempts', async () => {
    await inject({ kind: 'busy' });
    const before = await exchanges();
    const error = await failure(client.code2Session(await mint()));
    expect([error.reason, error.errcode]).toEqual(['WECHAT_UNAVAILABLE', -1]);
    expect(await exchanges()).toBe(before + 3);
  });

  it('accepts errcode as a string and treats an unknown one as WECHAT_ERROR', async () => {
    await inject({ kind: 'errcode', errcode: 40029, count: 1 });
    expect((await failure(client.code2Session(await mint()))).reason).toBe('WECHAT_CODE_INVALID');
    await inject({ kind: 'errcode', errcode: 99999, count: 1 });
    const error = await failure(client.code2Session(await mint()));
    expect([error.reason, error.errcode]).toEqual(['WECHAT_ERROR', 99999]);
  });

  it.each([['http500'], ['garbage'], ['empty']])('maps a %s answer to WECHAT_UNAVAILABLE without retrying', async (kind) => {
    await inject({ kind, count: 1 });
    const before = await exchanges();
    expect((await failure(client.code2Session(await mint()))).reason).toBe('WECHAT_UNAVAILABLE');
    expect(await exchanges()).toBe(before + 1);
  });

  it('times out a WeChat that does not answer', async () => {
    await inject({ kind: 'hang', count: 1 });
    const started = performance.now();
    expect((await failure(client.code2Session(await mint()))).reason).toBe('WECHAT_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('maps a refused connection to WECHAT_UNAVAILABLE and never puts the secret or code in the message', async () => {
    const down = createWechatClient({ appid, secret, baseUrl: 'http://127.0.0.1:9', timeoutMs: 500 });
    const error = await failure(down.code2Session('the-code-123'));
    expect(error.reason).toBe('WECHAT_UNAVAILABLE');
    expect(`${error.message} ${error.stack}`).not.toMatch(new RegExp(`${secret}|the-code-123`));
  });
});

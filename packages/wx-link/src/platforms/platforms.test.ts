// What each adapter hands the platform and how it reads the answer, on stubs recording the calls: the
// details the HTTP suites cannot reach (older Alipay clients, DingTalk, field names and codes).
import { describe, expect, it, vi } from 'vitest';
import type { PlatformFailure, PlatformResponse } from '../MiniProgramPlatform.ts';
import { fromMy, type MyLike, type MyRequestOptions, type MyUploadFileOptions } from './fromMy.ts';
import { fromTaro, type TaroLike } from './fromTaro.ts';
import { fromSwan, fromTt, type WxLike, type WxRequestOptions } from './wxShaped.ts';

/** Runs one request through an adapter and reports how it settled. */
function request(platform: ReturnType<typeof fromMy>) {
  return new Promise<{ response?: PlatformResponse; failure?: PlatformFailure }>((resolve) =>
    platform.request({
      url: 'https://api.example.com/trpc/auth.check',
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{}',
      timeout: 1_000,
      success: (response) => resolve({ response }),
      fail: (failure) => resolve({ failure }),
    }),
  );
}

const myStub = (answer: (options: MyRequestOptions) => void, extra: Partial<MyLike> = {}): MyLike => ({
  request: (options) => {
    answer(options);
    return { abort() {} };
  },
  getAuthCode: ({ success }) => success?.({ authCode: 'auth-code' }),
  getStorageSync: () => ({ data: null }),
  setStorageSync: () => {},
  removeStorageSync: () => {},
  ...extra,
});

describe('fromMy (Alipay)', () => {
  it('sends `headers` and a text dataType, and reads `status` / `headers`', async () => {
    const sent: MyRequestOptions[] = [];
    const platform = fromMy(myStub((options) => (sent.push(options), options.success?.({ status: 401, headers: { 'Content-Type': 'application/json' }, data: '{"x":1}' }))));
    expect(await request(platform)).toEqual({ response: { status: 401, headers: { 'Content-Type': 'application/json' }, body: '{"x":1}' } });
    expect(sent[0]).toMatchObject({ method: 'POST', headers: { authorization: 'Bearer t' }, data: '{}', dataType: 'text', timeout: 1_000 });
    expect(sent[0]).not.toHaveProperty('header');
  });

  it('turns an HTTP error reported as `fail` (error 19, older clients and my.httpRequest) back into a response', async () => {
    const platform = fromMy(myStub((options) => options.fail?.({ error: 19, errorMessage: 'HTTP错误', status: 500, headers: {}, data: { error: 'boom' } })));
    expect(await request(platform)).toEqual({ response: { status: 500, headers: {}, body: '{"error":"boom"}' } });
  });

  it('reads `{ error, errorMessage }`: 13 is a timeout, others are network failures', async () => {
    expect(await request(fromMy(myStub((o) => o.fail?.({ error: 13, errorMessage: '超时' }))))).toEqual({ failure: { message: '超时', code: 13, timeout: true } });
    expect(await request(fromMy(myStub((o) => o.fail?.({ error: 12, errorMessage: '网络出错' }))))).toEqual({ failure: { message: '网络出错', code: 12, timeout: false } });
  });

  it('falls back to my.httpRequest where my.request is missing (DingTalk)', async () => {
    const httpRequest = vi.fn((options: MyRequestOptions) => (options.success?.({ status: 200, headers: {}, data: '{}' }), { abort() {} }));
    const { request: _, ...withoutRequest } = myStub(() => {});
    expect(await request(fromMy({ ...withoutRequest, httpRequest }))).toMatchObject({ response: { status: 200 } });
    expect(httpRequest).toHaveBeenCalledOnce();
  });

  it('uploads with `name`, `fileName` and fileType image, and reads a string statusCode', async () => {
    const sent: MyUploadFileOptions[] = [];
    const uploadFile = (options: MyUploadFileOptions) => (sent.push(options), options.success?.({ data: '{"avatarId":"a"}', statusCode: '200' }), { abort() {} });
    const platform = fromMy(myStub(() => {}, { uploadFile }));
    const response = await new Promise((resolve, reject) =>
      platform.uploadFile!({ url: 'https://x/avatars', filePath: 'tmp/a.png', name: 'file', headers: { authorization: 'Bearer t' }, timeout: 1, success: resolve, fail: reject }),
    );
    expect(response).toEqual({ status: 200, headers: {}, body: '{"avatarId":"a"}' });
    expect(sent[0]).toMatchObject({ name: 'file', fileName: 'file', fileType: 'image', header: { authorization: 'Bearer t' } });
  });

  it('reads storage under `data` or `APDataStorage`, missing as null; logs in with getAuthCode (auth_base)', async () => {
    const getAuthCode = vi.fn<MyLike['getAuthCode']>(({ success }) => success?.({ authCode: 'code-1' }));
    const stored = { data: { token: 't' } };
    const platform = fromMy(myStub(() => {}, { getAuthCode, getStorageSync: ({ key }) => (key === 'a' ? stored : key === 'b' ? { APDataStorage: 'legacy' } : { data: null }) }));
    expect([platform.storage.get('a'), platform.storage.get('b'), platform.storage.get('c')]).toEqual([{ token: 't' }, 'legacy', null]);
    await expect(platform.login()).resolves.toBe('code-1');
    expect(getAuthCode.mock.calls[0]![0]).toMatchObject({ scopes: 'auth_base' });
  });
});

describe('wx-shaped platforms', () => {
  const wxStub = (answer: (options: WxRequestOptions) => void): WxLike => ({
    request: (options) => (answer(options), { abort() {} }),
    login: ({ success }) => success?.({ code: 'c' }),
    getStorageSync: () => '',
    setStorageSync: () => {},
    removeStorageSync: () => {},
  });

  it('Baidu: sends dataType string, and its errCode becomes the failure code', async () => {
    const sent: WxRequestOptions[] = [];
    const platform = fromSwan(wxStub((options) => (sent.push(options), options.fail?.({ errCode: 1001, errMsg: 'request:fail 执行失败' }))));
    expect(await request(platform)).toEqual({ failure: { message: 'request:fail 执行失败', code: 1001, timeout: false } });
    expect(sent[0]).toMatchObject({ header: { authorization: 'Bearer t' }, dataType: 'string' });
    expect(platform.storage.get('missing')).toBeNull();
  });

  it('Douyin: a parsed body (dataType ignored) is turned back into text; errNo is the code', async () => {
    expect(await request(fromTt(wxStub((o) => o.success?.({ statusCode: 200, header: {}, data: { ok: true } }))))).toEqual({
      response: { status: 200, headers: {}, body: '{"ok":true}' },
    });
    expect(await request(fromTt(wxStub((o) => o.fail?.({ errMsg: 'request:fail timeout', errNo: 21103 }))))).toEqual({
      failure: { message: 'request:fail timeout', code: 21103, timeout: true },
    });
  });
});

describe('fromTaro', () => {
  const taroStub = (settle: () => Promise<{ data: unknown; statusCode: number; header: Record<string, string> }>, abort = () => {}): TaroLike => ({
    request: () => Object.assign(settle(), { abort }),
    login: () => Promise.resolve({ code: 'taro-code' }),
    getStorageSync: () => '',
    setStorageSync: () => {},
    removeStorageSync: () => {},
  });

  it('reads a resolved 4xx as a response and a rejection as a failure; abort reaches the task', async () => {
    expect(await request(fromTaro(taroStub(() => Promise.resolve({ statusCode: 404, header: {}, data: 'nope' }))))).toEqual({
      response: { status: 404, headers: {}, body: 'nope' },
    });
    expect(await request(fromTaro(taroStub(() => Promise.reject({ errMsg: 'request:fail timeout' }))))).toEqual({ failure: { message: 'request:fail timeout', timeout: true } });
    const abort = vi.fn();
    fromTaro(taroStub(() => new Promise(() => {}), abort))
      .request({ url: 'https://x', method: 'GET', headers: {}, timeout: 1, success() {}, fail() {} })
      .abort();
    expect(abort).toHaveBeenCalledOnce();
    await expect(fromTaro(taroStub(() => new Promise(() => {}))).login()).resolves.toBe('taro-code');
  });
});

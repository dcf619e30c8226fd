import type { MiniProgramPlatform } from '../MiniProgramPlatform.ts';
import { bodyText, storedOrNull, toFailure } from './normalize.ts';

// The API wx defined and qq, tt, swan and uni copy: callbacks, `header` both ways, `statusCode`, `errMsg`.
// Typed here so the package builds without each platform's global typings (which clash with @types/node).

export interface WxRequestTask {
  abort(): void;
}

export interface WxFail {
  errMsg: string;
  /** Baidu */
  errCode?: number;
  /** Douyin */
  errNo?: number;
}

export interface WxRequestOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
  header?: Record<string, string>;
  data?: string;
  dataType?: string;
  responseType?: 'text' | 'arraybuffer';
  timeout?: number;
  success?: (result: { data: unknown; statusCode: number; header: Record<string, string>; errMsg?: string }) => void;
  fail?: (error: WxFail) => void;
}

export interface WxUploadFileOptions {
  url: string;
  filePath: string;
  name: string;
  header?: Record<string, string>;
  formData?: Record<string, string>;
  timeout?: number;
  success?: (result: { data: string; statusCode: number; errMsg?: string }) => void;
  fail?: (error: WxFail) => void;
}

/** `wx`, or `qq`, `tt`, `swan`, `uni`: the few APIs the client uses. */
export interface WxLike {
  request(options: WxRequestOptions): WxRequestTask;
  uploadFile?(options: WxUploadFileOptions): WxRequestTask;
  login(options: { timeout?: number; success?: (result: { code: string; errMsg?: string }) => void; fail?: (error: WxFail) => void }): void;
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: unknown): void;
  removeStorageSync(key: string): void;
}

function fromWxShaped(api: WxLike, name: string, textDataType: string): MiniProgramPlatform {
  const { uploadFile } = api;
  return {
    name,
    maxConcurrent: 10,
    request: ({ url, method, headers, body, timeout, success, fail }) =>
      api.request({
        url,
        method: method as WxRequestOptions['method'],
        header: headers,
        ...(body === undefined ? {} : { data: body }),
        dataType: textDataType, // anything but 'json': the body comes back unparsed
        responseType: 'text',
        timeout,
        success: ({ statusCode, header, data }) => success({ status: statusCode, headers: header ?? {}, body: bodyText(data) }),
        fail: (error) => fail(toFailure(error)),
      }),
    ...(uploadFile && {
      uploadFile: ({ url, filePath, name: field, formData, headers, timeout, success, fail }) =>
        uploadFile.call(api, {
          url,
          filePath,
          name: field,
          header: headers,
          ...(formData && { formData }),
          timeout,
          success: ({ statusCode, data }) => success({ status: Number(statusCode), headers: {}, body: bodyText(data) }),
          fail: (error) => fail(toFailure(error)),
        }),
    }),
    storage: {
      get: (key) => storedOrNull(api.getStorageSync(key)),
      set: (key, value) => api.setStorageSync(key, value),
      remove: (key) => api.removeStorageSync(key),
    },
    login: () =>
      new Promise<string>((resolve, reject) =>
        api.login({
          success: ({ code, errMsg }) => (code ? resolve(code) : reject(new Error(errMsg ?? `${name}.login gave no code`))),
          fail: (error) => reject(new Error(toFailure(error).message)),
        }),
      ),
  };
}

/** WeChat: `wx.request` (≤ 10 request/upload/download tasks at once), `wx.login`. */
export const fromWx = (wx: WxLike) => fromWxShaped(wx, 'wx', 'text');

/** QQ: follows wx (≤ 10 tasks). Its `qq.login` code is exchanged at QQ's jscode2session, not WeChat's. */
export const fromQq = (qq: WxLike) => fromWxShaped(qq, 'qq', 'text');

/** Douyin: `tt.request` (dataType json or string; fails with `errMsg` + `errNo`); no documented task limit, 10 kept. */
export const fromTt = (tt: WxLike) => fromWxShaped(tt, 'tt', 'string');

/** Baidu: `swan.request` (dataType json or string; fails with `errCode` + `errMsg`); no documented task limit, 10 kept. */
export const fromSwan = (swan: WxLike) => fromWxShaped(swan, 'swan', 'string');

/** uni-app: `uni.request` maps to the platform underneath (on WeChat, wx.request and its 10 tasks; `uni.login` is wx.login). */
export const fromUni = (uni: WxLike) => fromWxShaped(uni, 'uni', 'text');

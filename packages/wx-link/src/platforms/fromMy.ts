import type { MiniProgramPlatform } from '../MiniProgramPlatform.ts';
import { bodyText, storedOrNull, toFailure } from './normalize.ts';

export interface MyFail {
  error?: number;
  errorMessage?: string;
  /** With error 19 (HTTP error) on older clients and my.httpRequest: the response itself. */
  status?: number;
  headers?: Record<string, string>;
  data?: unknown;
}

export interface MyRequestOptions {
  url: string;
  method?: string;
  /** String values only. */
  headers?: Record<string, string>;
  data?: string;
  /** json (default: json-or-text since base library 2.9.5), text, base64, arraybuffer */
  dataType?: string;
  timeout?: number;
  success?: (result: { data: unknown; status: number; headers: Record<string, string> }) => void;
  fail?: (error: MyFail) => void;
}

export interface MyUploadFileOptions {
  url: string;
  filePath: string;
  /** The form field (current clients); older ones read `fileName`. */
  name: string;
  fileName: string;
  /** Deprecated but still checked by the IDE: image, video or audio. */
  fileType: 'image' | 'video' | 'audio';
  header?: Record<string, string>;
  formData?: Record<string, string>;
  timeout?: number;
  success?: (result: { data: unknown; statusCode?: number | string; status?: number | string; header?: Record<string, string> }) => void;
  fail?: (error: MyFail) => void;
}

/** Alipay's `my` (DingTalk's has only httpRequest): the few APIs the client uses. */
export interface MyLike {
  request?(options: MyRequestOptions): { abort(): void };
  httpRequest?(options: MyRequestOptions): { abort(): void };
  uploadFile?(options: MyUploadFileOptions): { abort(): void };
  getAuthCode(options: { scopes: string | string[]; success?: (result: { authCode: string }) => void; fail?: (error: MyFail) => void }): void;
  getStorageSync(options: { key: string }): { data?: unknown; APDataStorage?: unknown } | null | undefined;
  setStorageSync(options: { key: string; data: unknown }): void;
  removeStorageSync(options: { key: string }): void;
}

const myFailure = (error: MyFail) => ({ ...toFailure(error), timeout: error.error === 13 });

/**
 * Alipay: `my.request` takes `headers` (string values) and answers `status` / `headers`; a response with any
 * status reaches `success`, but older clients and DingTalk's `my.httpRequest` report 4xx/5xx as `fail` with
 * error 19 and the response attached, which is turned back into a response here. Error 13 is a timeout.
 * `my.getAuthCode` (scope auth_base) gives the login code; its exchange is Alipay's own, server-side.
 * Storage takes `{ key }` / `{ key, data }`. No documented task limit: 10 kept.
 */
export function fromMy(my: MyLike): MiniProgramPlatform {
  const send = my.request ? (options: MyRequestOptions) => my.request!(options) : (options: MyRequestOptions) => my.httpRequest!(options);
  const { uploadFile } = my;
  return {
    name: 'my',
    maxConcurrent: 10,
    request: ({ url, method, headers, body, timeout, success, fail }) =>
      send({
        url,
        method,
        headers,
        ...(body === undefined ? {} : { data: body }),
        dataType: 'text',
        timeout,
        success: ({ status, headers: responseHeaders, data }) => success({ status, headers: responseHeaders ?? {}, body: bodyText(data) }),
        fail: (error) =>
          error.error === 19 && typeof error.status === 'number' && error.status >= 100
            ? success({ status: error.status, headers: error.headers ?? {}, body: bodyText(error.data) })
            : fail(myFailure(error)),
      }),
    ...(uploadFile && {
      uploadFile: ({ url, filePath, name, formData, headers, timeout, success, fail }) =>
        uploadFile.call(my, {
          url,
          filePath,
          name,
          fileName: name,
          fileType: 'image',
          header: headers,
          ...(formData && { formData }),
          timeout,
          success: ({ statusCode, status, header, data }) => success({ status: Number(statusCode ?? status), headers: header ?? {}, body: bodyText(data) }),
          fail: (error) => fail(myFailure(error)),
        }),
    }),
    storage: {
      get: (key) => {
        const result = my.getStorageSync({ key });
        return storedOrNull(result?.data ?? result?.APDataStorage); // some clients answer under APDataStorage
      },
      set: (key, data) => my.setStorageSync({ key, data }),
      remove: (key) => my.removeStorageSync({ key }),
    },
    login: () =>
      new Promise<string>((resolve, reject) =>
        my.getAuthCode({
          scopes: 'auth_base',
          success: ({ authCode }) => (authCode ? resolve(authCode) : reject(new Error('my.getAuthCode gave no authCode'))),
          fail: (error) => reject(new Error(toFailure(error).message)),
        }),
      ),
  };
}

import type { MiniProgramPlatform } from '../MiniProgramPlatform.ts';
import { bodyText, storedOrNull, toFailure } from './normalize.ts';

/** A promise that is also a task: what `Taro.request` and `Taro.uploadFile` return. */
type TaroTask<T> = Promise<T> & { abort(): unknown };

/** `import Taro from '@tarojs/taro'`: the few APIs the client uses. */
export interface TaroLike {
  request(options: {
    url: string;
    method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
    header?: Record<string, string>;
    data?: string;
    dataType?: string;
    responseType?: 'text' | 'arraybuffer';
    timeout?: number;
  }): TaroTask<{ data: unknown; statusCode: number; header: Record<string, string> }>;
  uploadFile?(options: {
    url: string;
    filePath: string;
    name: string;
    header?: Record<string, string>;
    formData?: Record<string, string>;
    timeout?: number;
  }): TaroTask<{ data: string; statusCode: number }>;
  login(): Promise<{ code: string; errMsg?: string }>;
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;
}

/**
 * Taro: `Taro.request` returns a promise (with `abort()`) that resolves for every HTTP status and rejects
 * only when the request fails; `Taro.login()` is wx.login on WeChat. Taro maps each platform's differences
 * (Alipay's headers/status) itself; the limit is WeChat's 10 tasks.
 */
export function fromTaro(Taro: TaroLike): MiniProgramPlatform {
  const { uploadFile } = Taro;
  return {
    name: 'taro',
    maxConcurrent: 10,
    request: ({ url, method, headers, body, timeout, success, fail }) => {
      const task = Taro.request({
        url,
        method: method as 'GET' | 'POST',
        header: headers,
        ...(body === undefined ? {} : { data: body }),
        dataType: 'text',
        responseType: 'text',
        timeout,
      });
      task.then(
        ({ statusCode, header, data }) => success({ status: statusCode, headers: header ?? {}, body: bodyText(data) }),
        (error: unknown) => fail(toFailure(error)),
      );
      return task;
    },
    ...(uploadFile && {
      uploadFile: ({ url, filePath, name, formData, headers, timeout, success, fail }) => {
        const task = uploadFile.call(Taro, { url, filePath, name, header: headers, ...(formData && { formData }), timeout });
        task.then(
          ({ statusCode, data }) => success({ status: Number(statusCode), headers: {}, body: bodyText(data) }),
          (error: unknown) => fail(toFailure(error)),
        );
        return task;
      },
    }),
    storage: {
      get: (key) => storedOrNull(Taro.getStorageSync(key)),
      set: (key, value) => Taro.setStorageSync(key, value),
      remove: (key) => Taro.removeStorageSync(key),
    },
    login: () =>
      Taro.login().then(
        ({ code, errMsg }) => code || Promise.reject(new Error(errMsg ?? 'Taro.login gave no code')),
        (error: unknown) => Promise.reject(new Error(toFailure(error).message)),
      ),
  };
}

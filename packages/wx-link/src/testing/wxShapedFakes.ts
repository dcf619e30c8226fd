// Fakes of the platforms that copy wx's API (qq, tt, swan, uni; wx itself adds UI calls in createFakeWx):
// callbacks, `header` both ways, `statusCode`, `errMsg`, a RequestTask with abort(), success for every
// HTTP status, `getStorageSync` answering '' for a missing key. What differs is documented per platform.
import type { WxFail, WxLike } from '../platforms/wxShaped.ts';
import { createFakeDevice, dataFor, type FakeDevice, type FakeDeviceOptions, type HttpFailure } from './createFakeDevice.ts';

export type FakeWxShaped = FakeDevice & Required<WxLike>;

interface Shape {
  /** The dataType values the platform documents (undefined: any; only 'json' parses). */
  dataTypes?: string[];
  /** The failure object the platform hands to `fail`. */
  failure(api: 'request' | 'uploadFile' | 'login', failure: HttpFailure): WxFail;
}

const errMsgOnly: Shape = { failure: (api, { detail }) => ({ errMsg: `${api}:fail ${detail}` }) };

export function createWxShapedFake(options: FakeDeviceOptions, shape: Shape = errMsgOnly): FakeWxShaped {
  const { device, send, upload, mintCode } = createFakeDevice(options);
  return Object.assign(device, {
    request: ((request) => {
      if (shape.dataTypes && request.dataType !== undefined && !shape.dataTypes.includes(request.dataType)) {
        setTimeout(() => request.fail?.(shape.failure('request', { reason: 'network', detail: `invalid dataType ${request.dataType}` })));
        return { abort() {} };
      }
      return send(
        { url: request.url, method: request.method, headers: request.header, body: request.data, timeoutMs: request.timeout },
        {
          done: ({ status, headers, text }) => request.success?.({ data: dataFor(text, request.dataType), statusCode: status, header: headers, errMsg: 'request:ok' }),
          failed: (failure) => request.fail?.(shape.failure('request', failure)),
        },
      );
    }) satisfies WxLike['request'],
    uploadFile: ((request) =>
      upload(
        { url: request.url, filePath: request.filePath, field: request.name, formData: request.formData, headers: request.header, timeoutMs: request.timeout },
        {
          done: ({ status, text }) => request.success?.({ data: text, statusCode: status, errMsg: 'uploadFile:ok' }),
          failed: (failure) => request.fail?.(shape.failure('uploadFile', failure)),
        },
      )) satisfies NonNullable<WxLike['uploadFile']>,
    login: (({ success, fail }) => {
      mintCode().then(
        (code) => success?.({ code, errMsg: 'login:ok' }),
        (error: Error) => fail?.(shape.failure('login', { reason: 'network', detail: error.message })),
      );
    }) satisfies WxLike['login'],
    getStorageSync: (key: string) => (device.storage.has(key) ? structuredClone(device.storage.get(key)) : ''),
    setStorageSync: (key: string, value: unknown) => void device.storage.set(key, structuredClone(value)),
    removeStorageSync: (key: string) => void device.storage.delete(key),
  });
}

/** QQ: wx's API as is. */
export const createFakeQq = (options: FakeDeviceOptions) => createWxShapedFake(options);

/** Douyin: dataType json or string only. */
export const createFakeTt = (options: FakeDeviceOptions) => createWxShapedFake(options, { ...errMsgOnly, dataTypes: ['json', 'string'] });

/** Baidu: dataType json or string only; `fail` carries `errCode` (1001, "执行失败", on Android) next to `errMsg`. */
export const createFakeSwan = (options: FakeDeviceOptions) =>
  createWxShapedFake(options, { dataTypes: ['json', 'string'], failure: (api, { detail }) => ({ errCode: 1001, errMsg: `${api}:fail ${detail}` }) });

/** uni-app compiled for WeChat: `uni.*` is wx's API underneath. */
export const createFakeUni = (options: FakeDeviceOptions) => createWxShapedFake(options);

// A stand-in for Alipay's `my`, from its documented API: my.request takes `headers` (string values only,
// else error 2) and answers `status` / `headers`; dataType json (default: parsed, kept as text when it is not
// JSON), text or base64; failures are `{ error, errorMessage }` (12 network, 13 timeout, 9 abort); abort via
// the RequestTask. my.uploadFile needs a file field and fileType image/video/audio and answers `{ data,
// statusCode, header }`. Storage takes `{ key }` / `{ key, data }`; login is my.getAuthCode's `authCode`.
// `legacyHttpErrors` plays older clients, which fail 4xx/5xx with error 19 and the response attached.
import type { MyFail, MyLike } from '../platforms/fromMy.ts';
import { createFakeDevice, dataFor, type FakeDevice, type FakeDeviceOptions, type HttpFailure } from './createFakeDevice.ts';

export type FakeMy = FakeDevice & Required<Pick<MyLike, 'request' | 'uploadFile'>> & Omit<MyLike, 'request' | 'httpRequest' | 'uploadFile'>;

const failures: Record<HttpFailure['reason'], MyFail> = {
  offline: { error: 12, errorMessage: '网络出错' },
  network: { error: 12, errorMessage: '网络出错' },
  timeout: { error: 13, errorMessage: '超时' },
  abort: { error: 9, errorMessage: 'request:fail abort' },
  refused: { error: 20, errorMessage: '请求已被停止/服务端限流' },
};

const refuse = (fail: ((error: MyFail) => void) | undefined, error: MyFail) => {
  setTimeout(() => fail?.(error));
  return { abort() {} };
};

export function createFakeMy(options: FakeDeviceOptions & { legacyHttpErrors?: boolean }): FakeMy {
  const { device, send, upload, mintCode } = createFakeDevice(options);
  return Object.assign(device, {
    request: ((request) => {
      const headers = request.headers ?? {};
      if (Object.values(headers).some((value) => typeof value !== 'string')) return refuse(request.fail, { error: 2, errorMessage: '参数错误' });
      return send(
        { url: request.url, method: request.method, headers: { 'content-type': 'application/json', ...headers }, body: request.data, timeoutMs: request.timeout ?? 30_000 },
        {
          done: ({ status, headers: responseHeaders, text }) => {
            const data = request.dataType === 'base64' ? `data:;base64,${Buffer.from(text).toString('base64')}` : dataFor(text, request.dataType?.toLowerCase());
            if (options.legacyHttpErrors && status >= 400) request.fail?.({ error: 19, errorMessage: 'HTTP错误', status, headers: responseHeaders, data });
            else request.success?.({ data, status, headers: responseHeaders });
          },
          failed: (failure) => request.fail?.(failures[failure.reason]),
        },
      );
    }) satisfies NonNullable<MyLike['request']>,
    uploadFile: ((request) => {
      const field = request.name ?? request.fileName;
      if (!field || !['image', 'video', 'audio'].includes(request.fileType)) return refuse(request.fail, { error: 11, errorMessage: '无效参数' });
      return upload(
        { url: request.url, filePath: request.filePath, field, formData: request.formData, headers: request.header, timeoutMs: request.timeout },
        {
          done: ({ status, headers, text }) => request.success?.({ data: text, statusCode: status, header: headers }),
          failed: (failure) => request.fail?.(failures[failure.reason]),
        },
      );
    }) satisfies NonNullable<MyLike['uploadFile']>,
    getAuthCode: (({ success, fail }) => {
      mintCode().then(
        (authCode) => success?.({ authCode }),
        () => fail?.({ error: 12, errorMessage: '网络出错' }),
      );
    }) satisfies MyLike['getAuthCode'],
    getStorageSync: ({ key }: { key: string }) => ({ data: device.storage.has(key) ? structuredClone(device.storage.get(key)) : null }),
    setStorageSync: ({ key, data }: { key: string; data: unknown }) => void device.storage.set(key, structuredClone(data)),
    removeStorageSync: ({ key }: { key: string }) => void device.storage.delete(key),
  });
}

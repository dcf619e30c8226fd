// A stand-in for `Taro` (from '@tarojs/taro') in an app compiled for WeChat: Taro.request and
// Taro.uploadFile return a promise that is also a task (abort()), resolve for every HTTP status with wx's
// `{ data, statusCode, header }` and reject with wx's `{ errMsg }` only when the request fails;
// Taro.login() resolves wx.login's `{ code }`; storage is wx's, synchronous.
import type { TaroLike } from '../platforms/fromTaro.ts';
import { createFakeDevice, dataFor, type FakeDevice, type FakeDeviceOptions, type FakeTask, type TaskCallbacks } from './createFakeDevice.ts';

export type FakeTaro = FakeDevice & Required<TaroLike>;

/** A promise settled by the task's callbacks, carrying the task's abort(). */
function taskPromise<T>(start: (callbacks: TaskCallbacks) => FakeTask, toResult: (result: Parameters<TaskCallbacks['done']>[0]) => T, api: string) {
  let task: FakeTask = { abort() {} };
  const promise = new Promise<T>((resolve, reject) => {
    task = start({ done: (result) => resolve(toResult(result)), failed: ({ detail }) => reject({ errMsg: `${api}:fail ${detail}` }) });
  });
  return Object.assign(promise, { abort: () => task.abort() });
}

export function createFakeTaro(options: FakeDeviceOptions): FakeTaro {
  const { device, send, upload, mintCode } = createFakeDevice(options);
  return Object.assign(device, {
    request: ((request) =>
      taskPromise(
        (callbacks) => send({ url: request.url, method: request.method, headers: request.header, body: request.data, timeoutMs: request.timeout }, callbacks),
        ({ status, headers, text }) => ({ data: dataFor(text, request.dataType), statusCode: status, header: headers, errMsg: 'request:ok' }),
        'request',
      )) satisfies TaroLike['request'],
    uploadFile: ((request) =>
      taskPromise(
        (callbacks) =>
          upload({ url: request.url, filePath: request.filePath, field: request.name, formData: request.formData, headers: request.header, timeoutMs: request.timeout }, callbacks),
        ({ status, text }) => ({ data: text, statusCode: status, errMsg: 'uploadFile:ok' }),
        'uploadFile',
      )) satisfies NonNullable<TaroLike['uploadFile']>,
    login: () =>
      mintCode().then(
        (code) => ({ code, errMsg: 'login:ok' }),
        (error: Error) => Promise.reject({ errMsg: `login:fail ${error.message}` }),
      ),
    getStorageSync: (key: string) => (device.storage.has(key) ? structuredClone(device.storage.get(key)) : ''),
    setStorageSync: (key: string, data: unknown) => void device.storage.set(key, structuredClone(data)),
    removeStorageSync: (key: string) => void device.storage.delete(key),
  });
}

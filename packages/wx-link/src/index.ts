export { AbortController } from './AbortControllerShim.ts';
export { createPlatformFetch, type PlatformFetchInit, type PlatformFetchResponse } from './createPlatformFetch.ts';
export { createTaskRunner, type TaskRunner, type TaskRunnerOptions } from './createTaskRunner.ts';
export type { UploadFileOptions, UploadFileResult } from './createUploadFile.ts';
export {
  createWxClient,
  type DirectClient,
  type ExchangeCode,
  type StoredSession,
  type UserDataForLogin,
  type WxClient,
  type WxClientOptions,
} from './createWxClient.ts';
export { detectPlatform } from './detectPlatform.ts';
export type * from './MiniProgramPlatform.ts';
export { PlatformRequestError } from './PlatformRequestError.ts';
export { fromMy, type MyLike } from './platforms/fromMy.ts';
export { fromTaro, type TaroLike } from './platforms/fromTaro.ts';
export { fromQq, fromSwan, fromTt, fromUni, fromWx, type WxLike, type WxRequestOptions, type WxRequestTask } from './platforms/wxShaped.ts';
export { isUnauthorized, reloginLink, type ReloginLinkOptions } from './reloginLink.ts';

export { createWxClient, type StoredSession, type UserDataForLogin, type WxClient, type WxClientOptions } from './createWxClient.ts';
export { createWxFetch, WxRequestError, type WxFetchOptions, type WxResponse } from './createWxFetch.ts';
export { isUnauthorized, reloginLink, type ReloginLinkOptions } from './reloginLink.ts';
export type { WxLike, WxRequestOptions, WxRequestTask } from './wxTypes.ts';

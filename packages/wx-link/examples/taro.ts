// src/api.ts in a Taro project compiled for WeChat (weapp). Taro is an import, not a global: Taro.request
// (a promise) carries the calls, Taro.setStorageSync keeps the session, Taro.login (wx.login) logs in.
import Taro from '@tarojs/taro';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@wxtrpc/api';
import { createWxClient, fromTaro } from '@wxtrpc/wx-link';

export type OrderPage = inferRouterOutputs<AppRouter>['order']['list'];

export const createApi = (url: string) => createWxClient({ url, platform: fromTaro(Taro) });
export type Api = ReturnType<typeof createApi>;

/** app.ts useLaunch: forget a session the server no longer knows. */
export const onLaunch = (api: Api) => api.checkSession();

/** The orders page (useLoad, useReachBottom): log in if there is no session, then the next page. */
export async function nextOrders(api: Api, cursor: string | null = null): Promise<OrderPage> {
  if (!api.session.get()) await api.login();
  return api.client.order.list.query({ limit: 10, cursor });
}

/** A picked image (Taro.chooseImage's tempFilePaths[0]) to POST /avatars, with the session's header. */
export async function uploadAvatar(api: Api, origin: string, filePath: string): Promise<string> {
  const { status, body } = await api.uploadFile({ url: `${origin}/avatars`, filePath, name: 'file' });
  if (status !== 200) throw new Error(`avatar upload: HTTP ${status} ${(body as { reason?: string }).reason ?? ''}`);
  return (body as { avatarId: string }).avatarId;
}

// src/api.ts in a uni-app project compiled for WeChat (mp-weixin). `uni` is uni-app's global: uni.request
// carries the calls, uni.setStorageSync keeps the session, uni.login (wx.login underneath) logs in.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@wxtrpc/api';
import { createWxClient, fromUni } from '@wxtrpc/wx-link';

export type OrderPage = inferRouterOutputs<AppRouter>['order']['list'];

export const createApi = (url: string) => createWxClient({ url, platform: fromUni(uni) });
export type Api = ReturnType<typeof createApi>;

/** App.vue onLaunch: forget a session the server no longer knows. */
export const onLaunch = (api: Api) => api.checkSession();

/** The orders page (onLoad, onReachBottom): log in if there is no session, then the next page. */
export async function nextOrders(api: Api, cursor: string | null = null): Promise<OrderPage> {
  if (!api.session.get()) await api.login();
  return api.client.order.list.query({ limit: 10, cursor });
}

/** A picked image (uni.chooseImage's tempFilePaths[0]) to POST /avatars, with the session's header. */
export async function uploadAvatar(api: Api, origin: string, filePath: string): Promise<string> {
  const { status, body } = await api.uploadFile({ url: `${origin}/avatars`, filePath, name: 'file' });
  if (status !== 200) throw new Error(`avatar upload: HTTP ${status} ${(body as { reason?: string }).reason ?? ''}`);
  return (body as { avatarId: string }).avatarId;
}

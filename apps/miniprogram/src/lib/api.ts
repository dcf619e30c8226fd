import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { createWxClient, type WxClient, type WxLike } from '@wxtrpc/wx-link';

export { isUnauthorized } from '@wxtrpc/wx-link';
export type { StoredSession, UploadFileResult } from '@wxtrpc/wx-link';
import { config } from '../config';

let api: ReturnType<typeof createWxClient> | null = null;

/** The app's one API client (created on first use, so config.apiUrl can still be set before). */
export function getApi() {
  // miniprogram-api-typings' overloaded wx.request does not line up with the narrow interface the link needs.
  api ??= createWxClient({ url: config.apiUrl, wx: wx as unknown as WxLike });
  return api;
}

/** account.me's answer (also what bindPhone and updateProfile answer): the phone comes masked. */
export type Account = Awaited<ReturnType<WxClient['account']['me']['query']>>;

/** The server's `error.data` ({ code, reason, … }) of a failed call; null when no server answer came (network). */
export const errorData = (error: unknown) => (error instanceof TRPCClientError ? ((error as TRPCClientError<AppRouter>).data ?? null) : null);

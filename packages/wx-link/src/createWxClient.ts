import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { maxBatchSize, maxBatchUrlLength } from '@wxtrpc/api/limits';
import { createWxFetch } from './createWxFetch.ts';
import { reloginLink } from './reloginLink.ts';
import type { WxLike } from './wxTypes.ts';

export interface StoredSession {
  token: string;
  expiresAt: string;
  user: { id: string; nickName: string | null; avatarUrl: string | null };
}

export interface WxClientOptions {
  /** The server's tRPC endpoint, e.g. https://api.example.com/trpc */
  url: string;
  wx: WxLike;
  /** Storage key of the session (token, expiry, user). */
  storageKey?: string;
  maxConcurrent?: number;
  timeoutMs?: number;
}

export interface UserDataForLogin {
  encryptedData?: string;
  iv?: string;
  rawData?: string;
  signature?: string;
}

/**
 * The mini-program's typed client: `client.order.list.query(...)` with inference from the server's
 * AppRouter (a type-only import), batching through tRPC's own httpBatchLink over wx.request, the token
 * from storage as `Authorization: Bearer`, and a silent re-login when the session has expired.
 */
export function createWxClient(options: WxClientOptions) {
  const { wx } = options;
  const storageKey = options.storageKey ?? 'session';
  const fetch = createWxFetch({ request: (request) => wx.request(request), maxConcurrent: options.maxConcurrent, timeoutMs: options.timeoutMs });

  const session = {
    get: (): StoredSession | null => (wx.getStorageSync(storageKey) as StoredSession | '') || null,
    set: (value: StoredSession) => wx.setStorageSync(storageKey, value),
    clear: () => wx.removeStorageSync(storageKey),
  };

  const headers = () => {
    const current = session.get();
    return current ? { authorization: `Bearer ${current.token}` } : {};
  };

  // Logging in (and out) goes around the re-login link, so a failing login can never trigger another.
  // (httpBatchLink, not httpLink: httpLink tests inputs with `instanceof FormData`/`Blob`, which the runtime lacks.)
  const directClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: options.url, fetch, headers, maxItems: 1 })] });

  const wxLogin = () =>
    new Promise<string>((resolve, reject) =>
      wx.login({
        success: ({ code, errMsg }) => (code ? resolve(code) : reject(new Error(errMsg ?? 'wx.login gave no code'))),
        fail: ({ errMsg }) => reject(new Error(errMsg)),
      }),
    );

  // Only one wx.login at a time: a second one would rotate the session_key the server just received.
  let loggingIn: Promise<StoredSession> | null = null;
  const login = (userData: UserDataForLogin = {}): Promise<StoredSession> => {
    loggingIn ??= (async () => {
      try {
        const result = await directClient.auth.login.mutate({ code: await wxLogin(), ...userData });
        session.set(result);
        return result;
      } finally {
        loggingIn = null;
      }
    })();
    return loggingIn;
  };

  const client = createTRPCClient<AppRouter>({
    links: [
      reloginLink<AppRouter>({ login: () => login(), skip: (path) => path === 'auth.login' }),
      httpBatchLink({
        url: options.url,
        fetch,
        maxItems: maxBatchSize,
        maxURLLength: maxBatchUrlLength,
        headers, // read once per HTTP request, so a batch carries one header
      }),
    ],
  });

  return {
    client,
    session,
    login,
    /**
     * On launch (the seed's checkLogs): asks the server whether the stored session is still valid and
     * clears it if the server says no. A network failure keeps it (the next call will tell).
     */
    async checkSession(): Promise<boolean> {
      if (!session.get()) return false;
      const { valid } = await client.auth.check.query();
      if (!valid) session.clear();
      return valid;
    },
    /** Ends this device's session on the server and forgets it here. */
    async logout(): Promise<void> {
      try {
        if (session.get()) await directClient.auth.logout.mutate();
      } finally {
        session.clear();
      }
    },
  };
}

export type WxClient = ReturnType<typeof createWxClient>['client'];

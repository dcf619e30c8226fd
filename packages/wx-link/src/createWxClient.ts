import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { maxBatchSize, maxBatchUrlLength } from '@wxtrpc/api/limits';
import type { MiniProgramPlatform } from './MiniProgramPlatform.ts';
import { createPlatformFetch } from './createPlatformFetch.ts';
import { createTaskRunner } from './createTaskRunner.ts';
import { createUploadFile } from './createUploadFile.ts';
import { fromWx, type WxLike } from './platforms/wxShaped.ts';
import { reloginLink } from './reloginLink.ts';

export interface StoredSession {
  token: string;
  expiresAt: string;
  user: { id: string; nickName: string | null; avatarUrl: string | null };
}

export interface UserDataForLogin {
  encryptedData?: string;
  iv?: string;
  rawData?: string;
  signature?: string;
}

/** A client that never re-logs in: what login, logout and an exchange procedure call through. */
export type DirectClient = TRPCClient<AppRouter>;

/** Turns the platform's login code into a session on your server; the default calls `auth.login` (WeChat). */
export type ExchangeCode = (input: { code: string; userData: UserDataForLogin; client: DirectClient }) => Promise<StoredSession>;

export type WxClientOptions = {
  /** The server's tRPC endpoint, e.g. https://api.example.com/trpc */
  url: string;
  exchangeCode?: ExchangeCode;
  /** Storage key of the session (token, expiry, user). */
  storageKey?: string;
  /** Requests and uploads at once; default the platform's limit (10 everywhere). */
  maxConcurrent?: number;
  /** Per request or upload; default 60 s. */
  timeoutMs?: number;
} & (
  | {
      /**
       * fromWx(wx), fromMy(my), fromTt(tt), fromSwan(swan), fromQq(qq), fromUni(uni), fromTaro(Taro), your own,
       * or detectPlatform() (which bundles every adapter; naming one keeps only it).
       */
      platform: MiniProgramPlatform;
      wx?: never;
    }
  | {
      /** Shorthand for `platform: fromWx(wx)`. */
      wx: WxLike;
      platform?: never;
    }
);

const exchangeWithAuthLogin: ExchangeCode = ({ code, userData, client }) => client.auth.login.mutate({ code, ...userData });

/**
 * The mini-program's typed client on any platform: `client.order.list.query(...)` with inference from the
 * server's AppRouter (a type-only import), batching through tRPC's own httpBatchLink over the platform's
 * request API, the token from the platform's storage as `Authorization: Bearer`, a silent re-login when the
 * session has expired, and uploads through the same slots.
 */
export function createWxClient(options: WxClientOptions) {
  const platform = options.platform ?? fromWx(options.wx);
  const storageKey = options.storageKey ?? 'session';
  const exchangeCode = options.exchangeCode ?? exchangeWithAuthLogin;
  const run = createTaskRunner(platform, { maxConcurrent: options.maxConcurrent, timeoutMs: options.timeoutMs });
  const fetch = createPlatformFetch(platform, run);

  const session = {
    get: () => platform.storage.get(storageKey) as StoredSession | null,
    set: (value: StoredSession) => platform.storage.set(storageKey, value),
    clear: () => platform.storage.remove(storageKey),
  };

  const headers = (): Record<string, string> => {
    const current = session.get();
    return current ? { authorization: `Bearer ${current.token}` } : {};
  };

  // Logging in (and out) goes around the re-login link, so a failing login can never trigger another.
  // (httpBatchLink, not httpLink: httpLink tests inputs with `instanceof FormData`/`Blob`, which the runtime lacks.)
  const directClient: DirectClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: options.url, fetch, headers, maxItems: 1 })] });

  // Only one platform login at a time: a second wx.login would rotate the session_key the server just received.
  let loggingIn: Promise<StoredSession> | null = null;
  const login = (userData: UserDataForLogin = {}): Promise<StoredSession> => {
    loggingIn ??= (async () => {
      try {
        const result = await exchangeCode({ code: await platform.login(), userData, client: directClient });
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
    platform,
    session,
    login,
    /** Uploads a local file (e.g. to POST /avatars) with the session's header, sharing the request slots. */
    uploadFile: createUploadFile({ platform, run, headers, token: () => session.get()?.token, login: () => login() }),
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

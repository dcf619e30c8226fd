import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessTokenManager } from './AccessTokenManager.ts';
import type { AccessTokenStore, StoredAccessToken } from './AccessTokenStore.ts';
import { fetchStableToken, type StableToken } from './fetchStableToken.ts';
import { resolveSettings } from './requestWechat.ts';
import { isAccessTokenRejection } from './wechatErrcodes.ts';
import { WechatError } from './WechatError.ts';

export interface AccessTokenManagerOptions {
  appid: string;
  secret: string;
  /** e.g. https://api.weixin.qq.com, or the emulator's address. */
  baseUrl: string;
  /** Shared by every instance: the cached token, the fetch lease, the force-refresh count. */
  store: AccessTokenStore;
  /** Per stable_token attempt. */
  timeoutMs?: number;
  /** Extra attempts after errcode -1 (WeChat busy). */
  busyRetries?: number;
  /** First backoff delay; doubles per retry, with jitter. */
  retryDelayMs?: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Names this instance in the lease; unique per manager by default. */
  holderId?: string;
  /** Told of every call to WeChat, with its outcome (metrics). */
  onCall?: (endpoint: string, outcome: string) => void;
  /** Told of every access_token fetch this instance makes, and why (metrics). */
  onFetch?: (reason: AccessTokenFetchReason) => void;
}

/** Why a token is fetched: none cached, refresh before expiry, after WeChat rejected it, or force_refresh. */
export type AccessTokenFetchReason = 'missing' | 'ahead' | 'rejected' | 'force';

const minute = 60_000;
/** A token with less left than this is fetched again, by one caller, while the others keep using it. */
const refreshAheadMs = 5 * minute;
/** Normal mode hands back the current token until it expires: ask again at most this often meanwhile. */
const sameTokenRefetchMs = minute;
const forceRefreshLimits = { maxPerDay: 20, minGapMs: 30_000 };
const pollMs = 50;

/** The day force refreshes are counted on: WeChat's, in Beijing time (UTC+8, no DST). */
const beijingDay = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The access_token of one appid, cached in the database and shared by every instance. One instance at a
 * time fetches (a lease taken by compare-and-set, expiring if its holder dies; no lock held during the
 * HTTP call), one flight per process; the others poll the row until the holder has stored the token.
 */
export function createAccessTokenManager(options: AccessTokenManagerOptions): AccessTokenManager {
  const { appid, secret, store } = options;
  const settings = resolveSettings(options);
  const now = options.now ?? Date.now;
  const holder = options.holderId ?? `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  // Long enough for a normal and a force fetch with their busy retries; waiters give up after as long, by
  // when a dead holder's lease has expired and been taken over.
  const leaseMs = 2 * (settings.busyRetries + 1) * (settings.timeoutMs + settings.retryDelayMs * 2 ** settings.busyRetries) + 5_000;
  const flights = new Map<string, Promise<string>>();

  /** The stored token if it is valid at `at` and is not the one that just failed, and whether to fetch ahead of its expiry. */
  function usable(row: StoredAccessToken | null, at: number, failed: string | undefined) {
    if (!row?.accessToken || !row.expiresAt || row.expiresAt.getTime() <= at || row.accessToken === failed) return null;
    const refreshDue = row.expiresAt.getTime() - at < refreshAheadMs && (!row.lastFetchedAt || at - row.lastFetchedAt.getTime() >= sameTokenRefetchMs);
    return { token: row.accessToken, refreshDue };
  }

  const fetchToken = (forceRefresh: boolean) => fetchStableToken(settings, { appid, secret, forceRefresh });

  /** Normal mode, then force mode if WeChat hands back exactly the token that failed (within the shared daily limit). */
  async function fetchReplacing(failed: string | undefined, reason: AccessTokenFetchReason): Promise<StableToken> {
    options.onFetch?.(reason);
    const fetched = await fetchToken(false);
    if (failed === undefined || fetched.accessToken !== failed) return fetched;
    const at = now();
    if (!(await store.reserveForceRefresh(appid, beijingDay(at), new Date(at), forceRefreshLimits))) {
      throw new WechatError(
        'WECHAT_UNAVAILABLE',
        'WeChat still hands out the access_token it rejects, and no force refresh is allowed now (20 a day, 30 s apart); try again later',
      );
    }
    options.onFetch?.('force');
    return fetchToken(true);
  }

  async function fetchUnderLease(failed: string | undefined): Promise<string> {
    let released = false;
    try {
      const at = now();
      // Another instance may have stored a token between our read and our lease.
      const cached = usable(await store.read(appid), at, failed);
      if (cached && !cached.refreshDue) return cached.token;
      let fetched: StableToken;
      try {
        fetched = await fetchReplacing(failed, failed !== undefined ? 'rejected' : cached ? 'ahead' : 'missing');
      } catch (error) {
        if (cached) return cached.token; // a refresh ahead of expiry failed: the current token still works
        throw error;
      }
      const token = { accessToken: fetched.accessToken, expiresAt: new Date(at + fetched.expiresInSeconds * 1_000), fetchedAt: new Date(at) };
      released = await store.save(appid, holder, token);
      return fetched.accessToken;
    } finally {
      if (!released) await store.releaseLease(appid, holder);
    }
  }

  async function obtainOnce(failed: string | undefined): Promise<string> {
    const deadline = performance.now() + leaseMs;
    for (;;) {
      const at = now();
      const cached = usable(await store.read(appid), at, failed);
      if (cached && !cached.refreshDue) return cached.token;
      if (await store.acquireLease(appid, holder, new Date(at), new Date(at + leaseMs))) return fetchUnderLease(failed);
      if (cached) return cached.token; // another instance is refreshing it ahead of expiry
      if (performance.now() >= deadline) {
        throw new WechatError('WECHAT_UNAVAILABLE', 'Another instance has been fetching the WeChat access_token for too long; try again shortly');
      }
      await sleep(pollMs / 2 + Math.random() * pollMs);
    }
  }

  /** One flight per process (per failed token). */
  function obtain(failed?: string): Promise<string> {
    const key = failed ?? '';
    let flight = flights.get(key);
    if (!flight) {
      flight = obtainOnce(failed).finally(() => flights.delete(key));
      flights.set(key, flight);
    }
    return flight;
  }

  return {
    get: () => obtain(),
    async call(fn) {
      const token = await obtain();
      try {
        return await fn(token);
      } catch (error) {
        if (!isAccessTokenRejection(error)) throw error;
      }
      // Compare-and-expire: only if the row still holds the token that failed, so instances seeing the
      // same rejection together cause one fetch, not one each.
      await store.expire(appid, token, new Date(now()));
      const fresh = await obtain(token);
      try {
        return await fn(fresh);
      } catch (error) {
        if (!isAccessTokenRejection(error)) throw error;
        throw new WechatError('WECHAT_UNAVAILABLE', `WeChat rejected a freshly fetched access_token too (errcode ${error.errcode}); try again later`, error.errcode);
      }
    },
  };
}

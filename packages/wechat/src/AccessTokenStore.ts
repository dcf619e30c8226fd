/** The cached access_token of one appid, as stored. */
export interface StoredAccessToken {
  accessToken: string | null;
  expiresAt: Date | null;
  lastFetchedAt: Date | null;
}

export interface FetchedAccessToken {
  accessToken: string;
  expiresAt: Date;
  fetchedAt: Date;
}

/**
 * Where every instance keeps the access_token of an appid (one row per appid), with the lease that lets one
 * instance at a time fetch a new one. Each operation is a single compare-and-set: no lock or transaction
 * outlives it. Implemented over Prisma Client in @wxtrpc/db (`createAccessTokenStore`).
 */
export interface AccessTokenStore {
  /** The cached token, or null when the appid has no row yet. */
  read(appid: string): Promise<StoredAccessToken | null>;
  /** Takes the fetch lease until `until` if nobody holds it or it expired before `now` (creating the row if missing): true when `holder` got it. */
  acquireLease(appid: string, holder: string, now: Date, until: Date): Promise<boolean>;
  /** Stores a fetched token and releases the lease, only while `holder` still holds it: false when it was taken over. */
  save(appid: string, holder: string, token: FetchedAccessToken): Promise<boolean>;
  /** Releases the lease if `holder` still holds it. */
  releaseLease(appid: string, holder: string): Promise<void>;
  /** Expires the cached token at `now` only if it is still `accessToken` and unexpired: false when it was replaced or already expired. */
  expire(appid: string, accessToken: string, now: Date): Promise<boolean>;
  /**
   * Counts one force refresh on `day` if fewer than `maxPerDay` were counted on that day and the last one
   * was at least `minGapMs` before `now`: false when the limit says no.
   */
  reserveForceRefresh(appid: string, day: string, now: Date, limits: { maxPerDay: number; minGapMs: number }): Promise<boolean>;
}

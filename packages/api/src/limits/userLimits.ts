import type { Db } from '@wxtrpc/db';
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from '../ApiError.ts';
import type { ApiMetrics } from '../ApiMetrics.ts';

/** Per-user limits on costly actions, counted in the database so they hold across every instance. */
export interface UserLimits {
  /** account.bindPhone: each successful WeChat call is billed. */
  bindPhone: RateLimiterPrisma;
  /** POST /avatars. */
  avatarUpload: RateLimiterPrisma;
  /** getPhoneNumber codes already sent to WeChat (by hash, for the code's 5-minute life): each goes once. */
  phoneCodes: RateLimiterPrisma;
}

export function createUserLimits(db: Db): UserLimits {
  const hourly = (keyPrefix: string, points: number) => new RateLimiterPrisma({ storeClient: db, tableName: 'rateLimit', keyPrefix, points, duration: 3_600 });
  return {
    bindPhone: hourly('bind-phone', 5),
    avatarUpload: hourly('avatar-upload', 10),
    phoneCodes: new RateLimiterPrisma({ storeClient: db, tableName: 'rateLimit', keyPrefix: 'phone-code', points: 1, duration: 300 }),
  };
}

export class UserLimitError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super('TOO_MANY_REQUESTS', 'RATE_LIMITED', `Too many ${what}; retry in ${retryAfterSeconds} seconds`);
  }
}

/**
 * Takes one from the user's allowance, or throws UserLimitError (TOO_MANY_REQUESTS, with when to retry);
 * a refusal is counted under the limiter's key prefix.
 */
export async function consumeUserLimit(limiter: RateLimiterPrisma, userId: string, what: string, metrics: ApiMetrics): Promise<void> {
  try {
    await limiter.consume(userId);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    metrics.rateLimited(limiter.keyPrefix);
    throw new UserLimitError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), what);
  }
}

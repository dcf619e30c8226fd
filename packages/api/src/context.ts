import type { Db, HotQueries } from '@wxtrpc/db';
import type { ApiMetrics } from './ApiMetrics.ts';
import type { WechatClient } from '@wxtrpc/wechat';
import type { UserLimits } from './limits/userLimits.ts';
import type { SessionService, ValidSession } from './sessions/createSessionService.ts';
import { bearerToken } from './sessions/sessionToken.ts';

/** What the procedures need, built once when the server starts. */
export interface ApiServices {
  /** Prisma Client: how every query is written, for SQLite and PostgreSQL alike. */
  db: Db;
  /** The measured hot reads, hand-written per dialect (same results as their Prisma twins). */
  hot: HotQueries;
  sessions: SessionService;
  /** Per-user limits shared by every instance (phone binding, avatar uploads). */
  userLimits: UserLimits;
  wechat: WechatClient;
  /** Our WeChat appid: encrypted user data must carry it in its watermark. */
  appid: string;
  /** How old (in seconds) an encryptedData watermark may be. */
  watermarkMaxAgeSeconds: number;
  now: () => Date;
  metrics: ApiMetrics;
  /** For events worth an operator's eye (never with user content). */
  log: { warn(fields: object, message: string): void };
}

export interface Context {
  services: ApiServices;
  db: Db;
  /** This server's public origin (PUBLIC_BASE_URL, or the request's own), for absolute URLs such as avatars. */
  baseUrl(): string;
  /** The caller's session, resolved at most once per HTTP request (batched calls share it). */
  auth(): Promise<ValidSession | null>;
}

export function createContextFactory(services: ApiServices) {
  return ({ authorization, baseUrl }: { authorization: string | undefined; baseUrl: () => string }): Context => {
    let auth: Promise<ValidSession | null> | undefined;
    return {
      services,
      db: services.db,
      baseUrl,
      auth: () => {
        if (!auth) {
          const token = bearerToken(authorization);
          auth = token ? services.sessions.validate(token) : Promise.resolve(null);
        }
        return auth;
      },
    };
  };
}

import type { Db, HotQueries } from '@wxtrpc/db';
import type { WechatClient } from '@wxtrpc/wechat';
import type { SessionService, ValidSession } from './sessions/createSessionService.ts';
import { bearerToken } from './sessions/sessionToken.ts';

/** What the procedures need, built once when the server starts. */
export interface ApiServices {
  /** Prisma Client: how every query is written, for SQLite and PostgreSQL alike. */
  db: Db;
  /** The measured hot reads, hand-written per dialect (same results as their Prisma twins). */
  hot: HotQueries;
  sessions: SessionService;
  wechat: WechatClient;
  /** Our WeChat appid: encrypted user data must carry it in its watermark. */
  appid: string;
  /** How old (in seconds) an encryptedData watermark may be. */
  watermarkMaxAgeSeconds: number;
  now: () => Date;
}

export interface Context {
  services: ApiServices;
  db: Db;
  /** The caller's session, resolved at most once per HTTP request (batched calls share it). */
  auth(): Promise<ValidSession | null>;
}

export function createContextFactory(services: ApiServices) {
  return ({ authorization }: { authorization: string | undefined }): Context => {
    let auth: Promise<ValidSession | null> | undefined;
    return {
      services,
      db: services.db,
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

import type { Store } from '@wxtrpc/db';
import type { WechatClient } from '@wxtrpc/wechat';
import type { SessionService, ValidSession } from './sessions/createSessionService.ts';
import { bearerToken } from './sessions/sessionToken.ts';

/** What the procedures need, built once when the server starts. */
export interface ApiServices {
  store: Store;
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
  /** The caller's session, resolved at most once per HTTP request (batched calls share it). */
  auth(): Promise<ValidSession | null>;
}

export function createContextFactory(services: ApiServices) {
  return ({ authorization }: { authorization: string | undefined }): Context => {
    let auth: Promise<ValidSession | null> | undefined;
    return {
      services,
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

import { timingSafeEqual } from 'node:crypto';
import type { NewSession, PublicUser, Store } from '@wxtrpc/db';
import { generateSessionToken, hashSecret, parseSessionToken } from './sessionToken.ts';

export type SessionUser = PublicUser;

export interface ValidSession {
  session: { id: string; userId: string; expiresAt: Date };
  user: SessionUser;
}

export interface SessionService {
  /** A new session for a login: the token is handed out once, the row holds only its secret's hash. */
  issue(): { token: string; session: NewSession };
  /** The session and user for a token, or null if it is malformed, unknown or expired. Renews as it goes. */
  validate(token: string): Promise<ValidSession | null>;
  invalidate(sessionId: string): Promise<void>;
  /** Removes expired rows; returns how many. */
  deleteExpired(): Promise<number>;
}

export interface SessionServiceOptions {
  store: Store;
  now?: () => Date;
  /** Inactivity expiry; a session used in its second half is renewed to the full length. */
  ttlMs?: number;
  /** lastUsedAt is written at most this often. */
  touchIntervalMs?: number;
}

const day = 24 * 3_600_000;

/** Sessions after the Lucia reference (auth_session.ts) and the Copenhagen Book. */
export function createSessionService(options: SessionServiceOptions): SessionService {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? 30 * day;
  const touchIntervalMs = options.touchIntervalMs ?? 3_600_000;

  return {
    issue() {
      const { id, secret, token } = generateSessionToken();
      const createdAt = now();
      return { token, session: { id, secretHash: hashSecret(secret), createdAt, expiresAt: new Date(createdAt.getTime() + ttlMs) } };
    },

    async validate(token) {
      const parsed = parseSessionToken(token);
      if (!parsed) return null;
      const row = await store.findSession(parsed.id);
      if (!row) return null;
      const given = hashSecret(parsed.secret);
      if (row.secretHash.length !== given.length || !timingSafeEqual(row.secretHash, given)) return null;

      const at = now().getTime();
      if (row.expiresAt.getTime() <= at) {
        await store.deleteSession(row.id);
        return null;
      }
      let { expiresAt } = row;
      if (expiresAt.getTime() - at < ttlMs / 2) {
        expiresAt = new Date(at + ttlMs);
        await store.renewSession(row.id, expiresAt, new Date(at));
      } else if (at - row.lastUsedAt.getTime() >= touchIntervalMs) {
        await store.touchSession(row.id, new Date(at));
      }
      return { session: { id: row.id, userId: row.userId, expiresAt }, user: row.user };
    },

    invalidate: (sessionId) => store.deleteSession(sessionId),
    deleteExpired: () => store.deleteExpiredSessions(now()),
  };
}

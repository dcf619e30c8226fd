import { timingSafeEqual } from 'node:crypto';
import type { Db, FindSession, Prisma, SessionWithUser } from '@wxtrpc/db';
import { noMetrics, type ApiMetrics } from '../ApiMetrics.ts';
import { generateSessionToken, hashSecret, parseSessionToken } from './sessionToken.ts';

export type SessionUser = SessionWithUser['user'];

/** A session about to be written; the token holding its secret goes to the client once. */
export interface NewSession {
  id: string;
  secretHash: Uint8Array<ArrayBuffer>;
  createdAt: Date;
  expiresAt: Date;
}

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
  /** How many sessions a user may hold at once. */
  readonly maxPerUser: number;
  /**
   * Ends the user's oldest sessions (by createdAt, then id) past `maxPerUser`, never `keep` (the one just
   * created). Runs on the login's transaction; returns how many ended.
   */
  endOldest(tx: Prisma.TransactionClient, userId: string, keep: string): Promise<number>;
  /** Removes expired rows; returns how many. */
  deleteExpired(): Promise<number>;
}

export interface SessionServiceOptions {
  db: Db;
  /** The hot session read (a hand-written statement, or its Prisma twin). */
  findSession: FindSession;
  now?: () => Date;
  /** Inactivity expiry; a session used in its second half is renewed to the full length. */
  ttlMs?: number;
  /** lastUsedAt is written at most this often. */
  touchIntervalMs?: number;
  /** Sessions a user may hold at once (at least 1). */
  maxPerUser?: number;
  metrics?: ApiMetrics;
}

const day = 24 * 3_600_000;

/** Sessions after the Lucia reference (auth_session.ts) and the Copenhagen Book. */
export function createSessionService(options: SessionServiceOptions): SessionService {
  const { db, findSession } = options;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? 30 * day;
  const touchIntervalMs = options.touchIntervalMs ?? 3_600_000;
  const maxPerUser = Math.max(1, options.maxPerUser ?? 20);
  const metrics = options.metrics ?? noMetrics;

  return {
    maxPerUser,

    issue() {
      const { id, secret, token } = generateSessionToken();
      const createdAt = now();
      return { token, session: { id, secretHash: new Uint8Array(hashSecret(secret)), createdAt, expiresAt: new Date(createdAt.getTime() + ttlMs) } };
    },

    async validate(token) {
      const parsed = parseSessionToken(token);
      if (!parsed) return null;
      const row = await findSession(parsed.id);
      if (!row) return null;
      const given = hashSecret(parsed.secret);
      if (row.secretHash.length !== given.length || !timingSafeEqual(row.secretHash, given)) return null;

      const at = now().getTime();
      if (row.expiresAt.getTime() <= at) {
        metrics.sessionsEnded('expired', (await db.session.deleteMany({ where: { id: row.id } })).count);
        return null;
      }
      let { expiresAt } = row;
      if (expiresAt.getTime() - at < ttlMs / 2) {
        expiresAt = new Date(at + ttlMs);
        await db.session.updateMany({ where: { id: row.id }, data: { expiresAt, lastUsedAt: new Date(at) } });
      } else if (at - row.lastUsedAt.getTime() >= touchIntervalMs) {
        await db.session.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date(at) } });
      }
      return { session: { id: row.id, userId: row.userId, expiresAt }, user: row.user };
    },

    async invalidate(sessionId) {
      metrics.sessionsEnded('logout', (await db.session.deleteMany({ where: { id: sessionId } })).count);
    },

    async endOldest(tx, userId, keep) {
      const oldest = await tx.session.findMany({
        where: { userId, id: { not: keep } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: maxPerUser - 1,
        select: { id: true },
      });
      if (oldest.length === 0) return 0;
      return (await tx.session.deleteMany({ where: { id: { in: oldest.map((session) => session.id) } } })).count;
    },

    async deleteExpired() {
      const { count } = await db.session.deleteMany({ where: { expiresAt: { lte: now() } } });
      metrics.sessionsEnded('expired', count);
      return count;
    },
  };
}

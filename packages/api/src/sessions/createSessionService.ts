import { timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '@wxtrpc/db';
import { generateSessionToken, hashSecret, parseSessionToken } from './sessionToken.ts';

export interface SessionUser {
  id: string;
  nickName: string | null;
  avatarUrl: string | null;
}

export interface ValidSession {
  session: { id: string; userId: string; expiresAt: Date };
  user: SessionUser;
}

export interface SessionService {
  /** Creates a session for the user; the token is returned once and only its hash is stored. */
  create(userId: string, db?: Pick<PrismaClient, 'session'>): Promise<{ token: string; expiresAt: Date }>;
  /** The session and user for a token, or null if it is malformed, unknown or expired. Renews as it goes. */
  validate(token: string): Promise<ValidSession | null>;
  invalidate(sessionId: string): Promise<void>;
  /** Removes expired rows; returns how many. */
  deleteExpired(): Promise<number>;
}

export interface SessionServiceOptions {
  prisma: PrismaClient;
  now?: () => Date;
  /** Inactivity expiry; a session used in its second half is renewed to the full length. */
  ttlMs?: number;
  /** lastUsedAt is written at most this often. */
  touchIntervalMs?: number;
}

const day = 24 * 3_600_000;

/** Sessions after the Lucia reference (auth_session.ts) and the Copenhagen Book. */
export function createSessionService(options: SessionServiceOptions): SessionService {
  const { prisma } = options;
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? 30 * day;
  const touchIntervalMs = options.touchIntervalMs ?? 3_600_000;

  return {
    async create(userId, db = prisma) {
      const { id, secret, token } = generateSessionToken();
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + ttlMs);
      await db.session.create({
        data: { id, secretHash: new Uint8Array(hashSecret(secret)), userId, createdAt, expiresAt, lastUsedAt: createdAt },
        select: { id: true },
      });
      return { token, expiresAt };
    },

    async validate(token) {
      const parsed = parseSessionToken(token);
      if (!parsed) return null;
      const row = await prisma.session.findUnique({
        where: { id: parsed.id },
        select: {
          id: true,
          userId: true,
          secretHash: true,
          expiresAt: true,
          lastUsedAt: true,
          user: { select: { id: true, nickName: true, avatarUrl: true } },
        },
      });
      if (!row) return null;
      const expected = Buffer.from(row.secretHash);
      const given = hashSecret(parsed.secret);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;

      const at = now();
      if (row.expiresAt.getTime() <= at.getTime()) {
        await prisma.session.deleteMany({ where: { id: row.id } });
        return null;
      }
      let { expiresAt } = row;
      if (expiresAt.getTime() - at.getTime() < ttlMs / 2) {
        expiresAt = new Date(at.getTime() + ttlMs);
        await prisma.session.updateMany({ where: { id: row.id }, data: { expiresAt, lastUsedAt: at } });
      } else if (at.getTime() - row.lastUsedAt.getTime() >= touchIntervalMs) {
        await prisma.session.updateMany({ where: { id: row.id }, data: { lastUsedAt: at } });
      }
      return { session: { id: row.id, userId: row.userId, expiresAt }, user: row.user };
    },

    async invalidate(sessionId) {
      await prisma.session.deleteMany({ where: { id: sessionId } });
    },

    async deleteExpired() {
      const { count } = await prisma.session.deleteMany({ where: { expiresAt: { lte: now() } } });
      return count;
    },
  };
}

// The session lookup behind every authenticated call: a measured hot path. This is its Prisma twin; the
// hand-written statements (findSessionSqlite.ts, findSessionPostgres.ts) must return exactly the same
// (hotQueries.test.ts compares them on the same data, on SQLite and on PostgreSQL).
import type { Db } from '../Database.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export const sessionWithUserSelect = {
  id: true,
  userId: true,
  secretHash: true,
  expiresAt: true,
  lastUsedAt: true,
  user: { select: { id: true, nickName: true, avatarUrl: true } },
} as const satisfies Prisma.SessionSelect;

export type SessionWithUser = Prisma.SessionGetPayload<{ select: typeof sessionWithUserSelect }>;

/** The session with its user's public fields, or null. */
export type FindSession = (id: string) => Promise<SessionWithUser | null>;

export const findSessionPrisma =
  (db: Db): FindSession =>
  (id) =>
    db.session.findUnique({ where: { id }, select: sessionWithUserSelect });

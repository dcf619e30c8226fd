import type Sqlite from 'better-sqlite3';
import type { FindSession } from './findSession.ts';

/** The selected columns, in order: rows come back as arrays (see below). */
type Row = [id: string, userId: string, secretHash: Buffer, expiresAt: number, lastUsedAt: number, nickName: string | null, avatarUrl: string | null];

/**
 * findSessionPrisma as one prepared statement on the read-only connection (dates are epoch ms). Rows come back
 * as arrays: for an object row better-sqlite3 looks up each column name in V8's string table and adds it as a
 * property, ~1 µs of the ~10 µs lookup (measured in-process).
 */
export function findSessionSqlite(reader: Sqlite.Database): FindSession {
  const statement = reader
    .prepare<[string], Row>(
      `SELECT s.id, s.userId, s.secretHash, s.expiresAt, s.lastUsedAt, u.nickName, u.avatarUrl
       FROM "Session" s JOIN "User" u ON u.id = s.userId WHERE s.id = ?`,
    )
    .raw(true);
  return async (id) => {
    const row = statement.get(id);
    if (!row) return null;
    const [sessionId, userId, secretHash, expiresAt, lastUsedAt, nickName, avatarUrl] = row;
    return {
      id: sessionId,
      userId,
      secretHash: new Uint8Array(secretHash), // a copy: Prisma hands out a plain Uint8Array
      expiresAt: new Date(expiresAt),
      lastUsedAt: new Date(lastUsedAt),
      user: { id: userId, nickName, avatarUrl },
    };
  };
}

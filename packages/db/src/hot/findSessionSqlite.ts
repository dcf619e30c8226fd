import type Sqlite from 'better-sqlite3';
import type { FindSession } from './findSession.ts';

interface Row {
  id: string;
  userId: string;
  secretHash: Buffer;
  expiresAt: number;
  lastUsedAt: number;
  nickName: string | null;
  avatarUrl: string | null;
}

/** findSessionPrisma as one prepared statement on the read-only connection (dates are epoch ms). */
export function findSessionSqlite(reader: Sqlite.Database): FindSession {
  const statement = reader.prepare<[string], Row>(
    `SELECT s.id, s.userId, s.secretHash, s.expiresAt, s.lastUsedAt, u.nickName, u.avatarUrl
       FROM "Session" s JOIN "User" u ON u.id = s.userId WHERE s.id = ?`,
  );
  return async (id) => {
    const row = statement.get(id);
    if (!row) return null;
    return {
      id: row.id,
      userId: row.userId,
      secretHash: new Uint8Array(row.secretHash), // a copy: Prisma hands out a plain Uint8Array
      expiresAt: new Date(row.expiresAt),
      lastUsedAt: new Date(row.lastUsedAt),
      user: { id: row.userId, nickName: row.nickName, avatarUrl: row.avatarUrl },
    };
  };
}

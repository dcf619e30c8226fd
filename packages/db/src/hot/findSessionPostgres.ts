import type pg from 'pg';
import type { FindSession } from './findSession.ts';
import { prismaCompatibleTypes } from './postgresTypes.ts';

interface Row {
  id: string;
  userId: string;
  secretHash: Buffer;
  expiresAt: Date;
  lastUsedAt: Date;
  nickName: string | null;
  avatarUrl: string | null;
}

/** findSessionPrisma as one named prepared statement (parsed and planned once per connection). */
export function findSessionPostgres(pool: pg.Pool): FindSession {
  const text = `SELECT s.id, s."userId", s."secretHash", s."expiresAt", s."lastUsedAt", u."nickName", u."avatarUrl"
                  FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = $1`;
  return async (id) => {
    const { rows } = await pool.query<Row>({ name: 'wxtrpc_find_session', text, values: [id], types: prismaCompatibleTypes });
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      userId: row.userId,
      secretHash: new Uint8Array(row.secretHash), // a copy: Prisma hands out a plain Uint8Array
      expiresAt: row.expiresAt,
      lastUsedAt: row.lastUsedAt,
      user: { id: row.userId, nickName: row.nickName, avatarUrl: row.avatarUrl },
    };
  };
}

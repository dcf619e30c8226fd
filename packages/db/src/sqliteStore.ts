import Sqlite from 'better-sqlite3';
import type { LoginWrite, OrderPageQuery, OrderRow, OrderStatus, PublicUser, Store, StoredSession } from './Store.ts';

export interface SqliteStoreOptions {
  /** How long a writer waits for SQLite's lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
}

interface SessionJoinRow {
  id: string;
  userId: string;
  secretHash: Buffer;
  expiresAt: number;
  lastUsedAt: number;
  nickName: string | null;
  avatarUrl: string | null;
}

interface OrderDbRow {
  id: string;
  title: string;
  totalFen: number;
  status: OrderStatus;
  createdAt: number;
}

const toOrder = (row: OrderDbRow): OrderRow => ({ id: row.id, title: row.title, totalFen: row.totalFen, status: row.status, createdAt: new Date(row.createdAt) });

/**
 * The embedded store: one better-sqlite3 connection (WAL, foreign keys, busy timeout) and statements
 * prepared once. Measured reasons (docs/benchmarks.md): Prisma's adapter prepares every statement again
 * on each query and its query engine costs more CPU than the query, and loading Prisma Client alone adds
 * ~70 MB of memory. Dates are stored as epoch milliseconds, as Prisma's adapter is configured to.
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Store {
  const db = new Sqlite(file, { timeout: options.busyTimeoutMs ?? 5_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');

  const findSession = db.prepare<[string], SessionJoinRow>(
    `SELECT s.id, s.userId, s.secretHash, s.expiresAt, s.lastUsedAt, u.nickName, u.avatarUrl
       FROM "Session" s JOIN "User" u ON u.id = s.userId WHERE s.id = ?`,
  );
  const upsertUser = db.prepare<[string, string, string | null, string, string | null, string | null, number, number], PublicUser>(
    `INSERT INTO "User" (id, openid, unionid, sessionKey, nickName, avatarUrl, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (openid) DO UPDATE SET
       sessionKey = excluded.sessionKey,
       unionid = COALESCE(excluded.unionid, "User".unionid),
       nickName = COALESCE(excluded.nickName, "User".nickName),
       avatarUrl = COALESCE(excluded.avatarUrl, "User".avatarUrl),
       updatedAt = excluded.updatedAt
     RETURNING id, nickName, avatarUrl`,
  );
  const insertSession = db.prepare(
    'INSERT INTO "Session" (id, secretHash, userId, createdAt, expiresAt, lastUsedAt) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const touchSession = db.prepare('UPDATE "Session" SET lastUsedAt = ? WHERE id = ?');
  const renewSession = db.prepare('UPDATE "Session" SET expiresAt = ?, lastUsedAt = ? WHERE id = ?');
  const deleteSession = db.prepare('DELETE FROM "Session" WHERE id = ?');
  const deleteExpired = db.prepare('DELETE FROM "Session" WHERE expiresAt <= ?');
  const countUsers = db.prepare('SELECT count(*) FROM "User"').pluck();
  const insertUser = db.prepare('INSERT INTO "User" (id, openid, sessionKey, nickName, createdAt, updatedAt) VALUES (?, ?, \'\', ?, ?, ?)');
  const insertOrder = db.prepare('INSERT INTO "Order" (id, userId, title, totalFen, status, createdAt) VALUES (?, ?, ?, ?, ?, ?)');
  const ping = db.prepare('SELECT 1').pluck();

  // Keyset paging newest first. `createdAt <= c AND (createdAt < c OR id < i)` walks the
  // (userId, [status,] createdAt DESC, id DESC) index; the textbook `createdAt < c OR (createdAt = c AND id < i)`
  // makes SQLite merge two scans and sort (~30x slower here).
  const columns = 'id, title, totalFen, status, createdAt';
  const firstPage = db.prepare<[string, number], OrderDbRow>(
    `SELECT ${columns} FROM "Order" WHERE userId = ? ORDER BY createdAt DESC, id DESC LIMIT ?`,
  );
  const nextPage = db.prepare<[string, number, number, string, number], OrderDbRow>(
    `SELECT ${columns} FROM "Order" WHERE userId = ? AND createdAt <= ? AND (createdAt < ? OR id < ?) ORDER BY createdAt DESC, id DESC LIMIT ?`,
  );
  const firstPageByStatus = db.prepare<[string, string, number], OrderDbRow>(
    `SELECT ${columns} FROM "Order" WHERE userId = ? AND status = ? ORDER BY createdAt DESC, id DESC LIMIT ?`,
  );
  const nextPageByStatus = db.prepare<[string, string, number, number, string, number], OrderDbRow>(
    `SELECT ${columns} FROM "Order" WHERE userId = ? AND status = ? AND createdAt <= ? AND (createdAt < ? OR id < ?) ORDER BY createdAt DESC, id DESC LIMIT ?`,
  );

  const login = db.transaction((write: LoginWrite): PublicUser => {
    const now = write.now.getTime();
    const user = upsertUser.get(
      write.newUserId,
      write.openid,
      write.unionid,
      write.sessionKey,
      write.profile.nickName ?? null,
      write.profile.avatarUrl ?? null,
      now,
      now,
    )!;
    const { session } = write;
    insertSession.run(session.id, Buffer.from(session.secretHash), user.id, session.createdAt.getTime(), session.expiresAt.getTime(), session.createdAt.getTime());
    return { id: user.id, nickName: user.nickName, avatarUrl: user.avatarUrl };
  });

  const listOrders = ({ userId, take, after, status }: OrderPageQuery): OrderRow[] => {
    let rows: OrderDbRow[];
    if (after) {
      const at = after.createdAt.getTime();
      rows = status ? nextPageByStatus.all(userId, status, at, at, after.id, take) : nextPage.all(userId, at, at, after.id, take);
    } else {
      rows = status ? firstPageByStatus.all(userId, status, take) : firstPage.all(userId, take);
    }
    return rows.map(toOrder);
  };

  const insertUserWithOrders = db.transaction((user: { id: string; openid: string; nickName: string | null; createdAt: Date }, orders: OrderRow[]) => {
    insertUser.run(user.id, user.openid, user.nickName, user.createdAt.getTime(), user.createdAt.getTime());
    for (const order of orders) insertOrder.run(order.id, user.id, order.title, order.totalFen, order.status, order.createdAt.getTime());
  });

  return {
    provider: 'sqlite',
    async findSession(id) {
      const row = findSession.get(id);
      if (!row) return null;
      const session: StoredSession = {
        id: row.id,
        userId: row.userId,
        secretHash: new Uint8Array(row.secretHash.buffer, row.secretHash.byteOffset, row.secretHash.byteLength),
        expiresAt: new Date(row.expiresAt),
        lastUsedAt: new Date(row.lastUsedAt),
        user: { id: row.userId, nickName: row.nickName, avatarUrl: row.avatarUrl },
      };
      return session;
    },
    login: async (write) => login(write),
    async touchSession(id, lastUsedAt) {
      touchSession.run(lastUsedAt.getTime(), id);
    },
    async renewSession(id, expiresAt, lastUsedAt) {
      renewSession.run(expiresAt.getTime(), lastUsedAt.getTime(), id);
    },
    async deleteSession(id) {
      deleteSession.run(id);
    },
    deleteExpiredSessions: async (now) => deleteExpired.run(now.getTime()).changes,
    listOrders: async (query) => listOrders(query),
    countUsers: async () => countUsers.get() as number,
    insertUserWithOrders: async (user, orders) => insertUserWithOrders(user, orders),
    async ping() {
      ping.get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

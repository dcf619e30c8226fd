import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Sqlite from 'better-sqlite3';
import type { Database } from './Database.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import { findSessionPrisma } from './hot/findSession.ts';
import { findSessionSqlite } from './hot/findSessionSqlite.ts';
import { listOrderPagePrisma } from './hot/listOrderPage.ts';
import { listOrderPageSqlite } from './hot/listOrderPageSqlite.ts';

export interface SqliteDatabaseOptions {
  /** How long a write waits for SQLite's lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
  /** 'sql' (default): the hand-written hot reads; 'prisma': their Prisma twins (the benchmark's stock stack). */
  hotQueries?: 'sql' | 'prisma';
}

/**
 * SQLite has one writer: Prisma Client (through its better-sqlite3 adapter, one connection) does every
 * write. The hand-written hot reads use a second, read-only connection; in WAL mode readers never wait
 * for the writer, even while a Prisma transaction is open.
 */
export async function openSqliteDatabase(file: string, options: SqliteDatabaseOptions = {}): Promise<Database> {
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: options.busyTimeoutMs ?? 5_000 }, { timestampFormat: 'unixepoch-ms' });
  const db = new PrismaClient({ adapter });
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');

  const reader = options.hotQueries === 'prisma' ? null : new Sqlite(file, { readonly: true, fileMustExist: true });
  const hot = reader
    ? { findSession: findSessionSqlite(reader), listOrderPage: listOrderPageSqlite(reader) }
    : { findSession: findSessionPrisma(db), listOrderPage: listOrderPagePrisma(db) };
  return {
    provider: 'sqlite',
    db,
    hot,
    async ping() {
      await db.$queryRawUnsafe('SELECT 1');
    },
    async close() {
      if (reader?.open) reader.close();
      await db.$disconnect();
    },
  };
}

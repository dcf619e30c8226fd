import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.ts';

export interface Database {
  prisma: PrismaClient;
  /** Resolves when the database answers a query; rejects otherwise (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** How long a writer waits for SQLite's lock before SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
}

/** Opens the SQLite file (already migrated) with WAL, foreign keys and a busy timeout. */
export async function openDatabase(file: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: options.busyTimeoutMs ?? 5_000 }, { timestampFormat: 'unixepoch-ms' });
  const prisma = new PrismaClient({ adapter });
  // journal_mode answers with a row, so it goes through a query; the others are plain statements.
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await prisma.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  return {
    prisma,
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: () => prisma.$disconnect(),
  };
}

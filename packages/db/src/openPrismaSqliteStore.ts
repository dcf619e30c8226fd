import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client.ts';
import { createPrismaStore } from './prismaStore.ts';
import type { Store } from './Store.ts';

/** Prisma Client on the SQLite file through the official adapter (the benchmarks' reference, and contract tests). */
export async function openPrismaSqliteStore(file: string): Promise<Store & { prisma: PrismaClient }> {
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5_000 }, { timestampFormat: 'unixepoch-ms' });
  const prisma = new PrismaClient({ adapter });
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return { ...createPrismaStore(prisma, 'sqlite'), prisma };
}

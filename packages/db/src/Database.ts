import type { PrismaClient } from './generated/prisma/client.ts';
import type { FindSession } from './hot/findSession.ts';
import type { ListOrderPage } from './hot/listOrderPage.ts';

/**
 * Prisma Client, the one way a query is written for both databases. It is typed as the SQLite client:
 * SQLite's API is the subset PostgreSQL also accepts, so a query that type-checks runs on both.
 */
export type Db = PrismaClient;

/** The measured hot reads, hand-written per dialect; each has the type of its Prisma twin (hot/*.ts). */
export interface HotQueries {
  findSession: FindSession;
  listOrderPage: ListOrderPage;
}

export interface Database {
  readonly provider: 'sqlite' | 'postgresql';
  readonly db: Db;
  readonly hot: HotQueries;
  /** Connections of the pool (PostgreSQL; SQLite has none). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parse } from 'pg-connection-string';
import type { Database, Db } from './Database.ts';
import { PrismaClient } from './generated/postgresql/client.ts';
import { findSessionPrisma } from './hot/findSession.ts';
import { findSessionPostgres } from './hot/findSessionPostgres.ts';
import { listOrderPagePrisma } from './hot/listOrderPage.ts';
import { listOrderPagePostgres } from './hot/listOrderPagePostgres.ts';

export interface PostgresDatabaseOptions {
  /** Connections in this instance's pool (shared by Prisma Client and the hot statements). */
  poolSize?: number;
  /** Statements running longer are cancelled by the server (ms; 0: no limit). */
  statementTimeoutMs?: number;
  /** TLS to the server: off, required (no certificate check), or verified against the system CAs. Default: what the URL's sslmode says. */
  ssl?: 'disable' | 'require' | 'verify-full';
  /** 'sql' (default): the hand-written hot reads; 'prisma': their Prisma twins. */
  hotQueries?: 'sql' | 'prisma';
}

const sslOption = { disable: false, require: { rejectUnauthorized: false }, 'verify-full': { rejectUnauthorized: true } } as const;

/** Prisma Client for the PostgreSQL schema derived from prisma/schema.prisma, over one node-postgres pool. */
export async function openPostgresDatabase(url: string, options: PostgresDatabaseOptions = {}): Promise<Database> {
  const { database, host, port, user, password } = parse(url);
  const pool = new pg.Pool({
    connectionString: url,
    // pg lets a connection string's parts be overridden; pass them as fields so they always win.
    ...(database ? { database } : {}),
    ...(host ? { host } : {}),
    ...(port ? { port: Number(port) } : {}),
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
    max: options.poolSize ?? 10,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.ssl ? { ssl: sslOption[options.ssl] } : {}),
  });
  // The one cast: the PostgreSQL client is generated from the same models as the SQLite one, but
  // TypeScript cannot relate two generated type trees (e.g. their isolation-level enums differ).
  const db = new PrismaClient({ adapter: new PrismaPg(pool) }) as unknown as Db;
  const hot =
    options.hotQueries === 'prisma'
      ? { findSession: findSessionPrisma(db), listOrderPage: listOrderPagePrisma(db) }
      : { findSession: findSessionPostgres(pool), listOrderPage: listOrderPagePostgres(pool) };
  return {
    provider: 'postgresql',
    db,
    hot,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await db.$disconnect();
      if (!pool.ended) await pool.end();
    },
  };
}

import { PrismaPg } from '@prisma/adapter-pg';
import { parse } from 'pg-connection-string';
import type { PrismaClient as SqlitePrismaClient } from './generated/prisma/client.ts';
import { PrismaClient } from './generated/postgresql/client.ts';
import { createPrismaStore } from './prismaStore.ts';
import type { Store } from './Store.ts';

export interface PostgresStoreOptions {
  /** Connections in this instance's pool. */
  poolSize?: number;
  /** Statements running longer are cancelled by the server (ms; 0: no limit). */
  statementTimeoutMs?: number;
  /** TLS to the server: off, required (no certificate check), or verified against the system CAs. Default: what the URL's sslmode says. */
  ssl?: 'disable' | 'require' | 'verify-full';
}

const sslOption = { disable: false, require: { rejectUnauthorized: false }, 'verify-full': { rejectUnauthorized: true } } as const;

/** The Store on PostgreSQL: Prisma Client for the PostgreSQL schema derived from prisma/schema.prisma, over node-postgres. */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Store & { prisma: PrismaClient } {
  const { database, host, port, user, password } = parse(url);
  const adapter = new PrismaPg({
    connectionString: url,
    ...(database ? { database } : {}),
    ...(host ? { host } : {}),
    ...(port ? { port: Number(port) } : {}),
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
    max: options.poolSize ?? 10,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.ssl ? { ssl: sslOption[options.ssl] } : {}),
  });
  const prisma = new PrismaClient({ adapter });
  // The two generated clients have the same models and API; the store is written against the SQLite one's types.
  return { ...createPrismaStore(prisma as unknown as SqlitePrismaClient, 'postgresql'), prisma };
}

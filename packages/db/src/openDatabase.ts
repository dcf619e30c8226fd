import type { Database } from './Database.ts';
import type { DatabaseLocation } from './databaseUrl.ts';
import type { PostgresDatabaseOptions } from './openPostgresDatabase.ts';
import { openSqliteDatabase } from './openSqliteDatabase.ts';

export type OpenDatabaseOptions = PostgresDatabaseOptions & { busyTimeoutMs?: number };

/** Opens an already-migrated database: Prisma Client plus the hot reads for its dialect. */
export async function openDatabase(location: DatabaseLocation, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (location.provider === 'sqlite') return openSqliteDatabase(location.file, options);
  const { openPostgresDatabase } = await import('./openPostgresDatabase.ts'); // pg and its Prisma Client load only for PostgreSQL
  return openPostgresDatabase(location.url, options);
}

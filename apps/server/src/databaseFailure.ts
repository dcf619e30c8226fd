import type { DatabaseLocation } from '@wxtrpc/db';

const unreachable: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'connection reset',
  '28P01': 'password authentication failed',
  '28000': 'authentication rejected',
  '3D000': 'database does not exist',
};

/** Why the database could not be migrated at start-up, in one line naming what to check. */
export function databaseFailure(error: unknown, location: DatabaseLocation): string {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  if (location.provider === 'postgresql') {
    const where = new URL(location.url).host; // never the password
    if (code && unreachable[code]) return `Cannot reach the database at ${where} (${unreachable[code]}): check DATABASE_URL and that PostgreSQL is running`;
  } else if (code === 'EACCES' || code === 'EROFS' || code === 'SQLITE_CANTOPEN' || code === 'ENOTDIR') {
    return `Cannot open the SQLite database ${location.file} (${code}): check DATABASE_URL; its folder must be writable`;
  }
  const firstLine = message.split('\n').find((line) => line.trim() !== '') ?? String(error);
  const migration = /`(\d{14}_[\w-]+)`/.exec(message)?.[1];
  return `Database migration failed${migration ? ` (${migration})` : ''}: ${firstLine.trim()}; fix the database (or the migration) and start again`;
}

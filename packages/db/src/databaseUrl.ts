import path from 'node:path';
import { defaultDatabaseFile } from './paths.ts';

export type DatabaseLocation = { provider: 'sqlite'; file: string } | { provider: 'postgresql'; url: string };

/**
 * Resolves DATABASE_URL into a database location: postgresql:// (or postgres://) selects PostgreSQL;
 * `file:` or unset keeps SQLite. Unset means the embedded SQLite file under the repo's
 * `data/`. A relative `file:` path resolves against the directory npm was started from (INIT_CWD), so
 * `npm start` from the repo root and from a workspace agree.
 */
export function resolveDatabaseUrl(url: string | undefined, baseDir = process.env.INIT_CWD ?? process.cwd()): DatabaseLocation {
  if (url === undefined || url.trim() === '') return { provider: 'sqlite', file: defaultDatabaseFile };
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new Error('DATABASE_URL is not a valid postgresql:// URL (e.g. postgresql://user:password@host:5432/db)');
    }
    return { provider: 'postgresql', url };
  }
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL must be a SQLite "file:" URL (e.g. file:./data/app.db) or a postgresql:// URL; got "${url.split(':')[0]}:..."`);
  }
  const file =
    url
      .slice('file:'.length)
      .replace(/^\/\/(?=\/)/, '')
      .split('?')[0] ?? '';
  if (file === '') throw new Error('DATABASE_URL "file:" needs a path, e.g. file:./data/app.db');
  if (file === ':memory:') throw new Error('DATABASE_URL cannot be file::memory: (migrations and the server use separate connections); use a file path');
  return { provider: 'sqlite', file: path.resolve(baseDir, file) };
}

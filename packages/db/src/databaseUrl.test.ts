import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDatabaseUrl as resolve } from './databaseUrl.ts';
import { defaultDatabaseFile, repoRoot } from './paths.ts';

const fileOf = (...args: Parameters<typeof resolve>) => {
  const location = resolve(...args);
  if (location.provider !== 'sqlite') throw new Error('expected SQLite');
  return location;
};

describe('resolveDatabaseUrl', () => {
  it('defaults to data/app.db under the repository, whatever the working directory', () => {
    expect(fileOf(undefined, '/somewhere/else')).toEqual({ provider: 'sqlite', file: defaultDatabaseFile });
    expect(defaultDatabaseFile).toBe(path.join(repoRoot, 'data/app.db'));
    expect(fileOf('  ', '/x').file).toBe(defaultDatabaseFile);
  });

  it('resolves relative file: URLs against the given directory and keeps absolute ones', () => {
    expect(fileOf('file:./db/x.db', '/srv/app').file).toBe('/srv/app/db/x.db');
    expect(fileOf('file:/var/lib/x.db', '/srv/app').file).toBe('/var/lib/x.db');
    expect(fileOf('file:///var/lib/x.db', '/srv/app').file).toBe('/var/lib/x.db');
    expect(fileOf('file:x.db?mode=rwc', '/a').file).toBe('/a/x.db');
  });

  it('selects PostgreSQL for postgresql:// and postgres:// URLs', () => {
    expect(resolve('postgresql://u:p@db.internal:5432/app?sslmode=require')).toEqual({ provider: 'postgresql', url: 'postgresql://u:p@db.internal:5432/app?sslmode=require' });
    expect(resolve('postgres://u@h/app').provider).toBe('postgresql');
    expect(() => resolve('postgresql://u:p@[bad')).toThrow(/not a valid postgresql:\/\/ URL/);
    expect(() => resolve('postgresql://u:secretpw@[bad')).not.toThrow(/secretpw/);
  });

  it('rejects what it cannot serve, saying what to set', () => {
    expect(() => fileOf('mysql://u:p@h/db')).toThrow(/DATABASE_URL must be a SQLite "file:" URL.*got "mysql:\.\.\."/);
    expect(() => fileOf('mysql://u:secretpw@h/db')).not.toThrow(/secretpw/);
    expect(() => fileOf('file:')).toThrow(/needs a path/);
    expect(() => fileOf('file::memory:')).toThrow(/memory/);
  });
});

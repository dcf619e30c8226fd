import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDatabaseUrl } from './databaseUrl.ts';
import { defaultDatabaseFile, repoRoot } from './paths.ts';

describe('resolveDatabaseUrl', () => {
  it('defaults to data/app.db under the repository, whatever the working directory', () => {
    expect(resolveDatabaseUrl(undefined, '/somewhere/else')).toEqual({ provider: 'sqlite', file: defaultDatabaseFile });
    expect(defaultDatabaseFile).toBe(path.join(repoRoot, 'data/app.db'));
    expect(resolveDatabaseUrl('  ', '/x').file).toBe(defaultDatabaseFile);
  });

  it('resolves relative file: URLs against the given directory and keeps absolute ones', () => {
    expect(resolveDatabaseUrl('file:./db/x.db', '/srv/app').file).toBe('/srv/app/db/x.db');
    expect(resolveDatabaseUrl('file:/var/lib/x.db', '/srv/app').file).toBe('/var/lib/x.db');
    expect(resolveDatabaseUrl('file:///var/lib/x.db', '/srv/app').file).toBe('/var/lib/x.db');
    expect(resolveDatabaseUrl('file:x.db?mode=rwc', '/a').file).toBe('/a/x.db');
  });

  it('rejects what it cannot serve, saying what to set', () => {
    expect(() => resolveDatabaseUrl('mysql://u:p@h/db')).toThrow(/DATABASE_URL must be a SQLite "file:" URL.*got "mysql:\.\.\."/);
    expect(() => resolveDatabaseUrl('mysql://u:secretpw@h/db')).not.toThrow(/secretpw/);
    expect(() => resolveDatabaseUrl('file:')).toThrow(/needs a path/);
    expect(() => resolveDatabaseUrl('file::memory:')).toThrow(/memory/);
  });
});

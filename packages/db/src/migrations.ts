// Prisma Migrate's contract, on the embedded database: migrations live in prisma/migrations/<timestamp>_<name>/
// migration.sql with migration_lock.toml, and are recorded in _prisma_migrations, exactly as
// `prisma migrate deploy` does (the same folder works with the native CLI wherever it is installed).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';
import { migrationsDir as defaultMigrationsDir, schemaPath as defaultSchemaPath } from './paths.ts';
import { withSchemaEngine } from './schemaEngine.ts';

const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };
const lockfileName = 'migration_lock.toml';
const emptyMigration = '-- This is an empty migration.';

export interface MigrationSources {
  schemaPath?: string;
  migrationsDir?: string;
}

async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const lockfile = await readFile(path.join(migrationsDir, lockfileName), 'utf8').catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockfileName, content: lockfile },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      folders.map(async (folder) => {
        const file = path.join(migrationsDir, folder, 'migration.sql');
        const content = await readFile(file, 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: NodeJS.ErrnoException) => ({ tag: 'error' as const, value: String(error.code ?? error) }),
        );
        return { path: folder, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

/**
 * Whether every migration folder is recorded as applied, with its current checksum, and none failed.
 * Lets the server skip loading the schema engine (5 MB of WebAssembly) on ordinary starts.
 */
function allApplied(databaseFile: string, migrationsList: MigrationList): boolean {
  if (!existsSync(databaseFile)) return false;
  const sqlite = new Sqlite(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!hasTable) return false;
    const rows = sqlite
      .prepare('SELECT migration_name AS name, checksum, finished_at AS finishedAt, rolled_back_at AS rolledBackAt FROM _prisma_migrations')
      .all() as { name: string; checksum: string; finishedAt: unknown; rolledBackAt: unknown }[];
    if (rows.some((row) => row.finishedAt === null && row.rolledBackAt === null)) return false; // a failed migration: let the engine report it
    const applied = new Map(rows.filter((row) => row.finishedAt !== null && row.rolledBackAt === null).map((row) => [row.name, row.checksum]));
    return migrationsList.migrationDirectories.every(({ path: name, migrationFile }) => {
      const { content } = migrationFile;
      return content.tag === 'ok' && applied.get(name) === createHash('sha256').update(content.value).digest('hex');
    });
  } finally {
    sqlite.close();
  }
}

/** Applies every pending migration to the SQLite file (creating it and its folder if needed). */
export async function applyMigrations(databaseFile: string, sources: MigrationSources = {}): Promise<string[]> {
  mkdirSync(path.dirname(databaseFile), { recursive: true });
  const migrationsList = await readMigrationList(sources.migrationsDir ?? defaultMigrationsDir);
  if (allApplied(databaseFile, migrationsList)) return [];
  const schema = await readFile(sources.schemaPath ?? defaultSchemaPath, 'utf8');
  return withSchemaEngine(databaseFile, schema, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilter });
    return appliedMigrationNames;
  });
}

/**
 * The SQL that would bring a database built from the committed migrations up to `schema.prisma`,
 * or null when they agree (no drift).
 */
export async function pendingSchemaChanges(sources: MigrationSources = {}): Promise<string | null> {
  const schema = await readFile(sources.schemaPath ?? defaultSchemaPath, 'utf8');
  const migrationsList = await readMigrationList(sources.migrationsDir ?? defaultMigrationsDir);
  const { stdout } = await withSchemaEngine(':memory:', schema, (engine) =>
    engine.diff({
      from: migrationsList.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    }),
  );
  const sql = (stdout ?? '').trim();
  return sql === '' || sql === emptyMigration ? null : `${sql}\n`;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql for the pending schema changes, if any. */
export async function createMigration(
  name: string,
  sources: MigrationSources = {},
  now = new Date(),
): Promise<string | null> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  if (slug === '') throw new Error('Give the migration a name, e.g. `npm run db:new-migration -- add_order_note`');
  const sql = await pendingSchemaChanges(sources);
  if (sql === null) return null;
  const migrationsDir = sources.migrationsDir ?? defaultMigrationsDir;
  const folder = path.join(migrationsDir, `${timestamp(now)}_${slug}`);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'migration.sql'), sql);
  const lockfile = path.join(migrationsDir, lockfileName);
  await writeFile(
    lockfile,
    '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "sqlite"\n',
    { flag: 'wx' },
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return folder;
}

// Prisma Migrate's contract: migrations live in <dir>/<timestamp>_<name>/migration.sql with
// migration_lock.toml, and are recorded in _prisma_migrations, exactly as `prisma migrate deploy` does (the
// same folders work with the native CLI wherever it is installed). SQLite's are in prisma/migrations,
// PostgreSQL's in prisma/postgresql/migrations, both made from prisma/schema.prisma.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiffResult, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';
import type { DatabaseLocation } from './databaseUrl.ts';
import { migrationsDir as sqliteMigrationsDir, schemaPath as defaultSchemaPath } from './paths.ts';
import { postgresMigrationsDir, readDerivedPostgresSchema, readPostgresSnapshot, writePostgresSnapshot } from './postgresSchema.ts';
import { withSchemaEngine, type EngineTarget } from './schemaEngine.ts';

const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };
const lockfileName = 'migration_lock.toml';
const emptyMigration = '-- This is an empty migration.';

export interface MigrationSources {
  /** prisma/schema.prisma unless given (PostgreSQL derives its schema from it). */
  schemaPath?: string;
  /** The provider's folder (prisma/migrations or prisma/postgresql/migrations) unless given. */
  migrationsDir?: string;
}

type Provider = DatabaseLocation['provider'];

const defaultMigrationsDir = (provider: Provider) => (provider === 'sqlite' ? sqliteMigrationsDir : postgresMigrationsDir);

async function schemaFor(provider: Provider, sources: MigrationSources): Promise<string> {
  return provider === 'sqlite' ? readFile(sources.schemaPath ?? defaultSchemaPath, 'utf8') : readDerivedPostgresSchema(sources.schemaPath);
}

const migrateLockKey = 72_707_370; // pg advisory lock held while one instance migrates

async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
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
    const rows = sqlite.prepare('SELECT migration_name AS name, checksum, finished_at AS finishedAt, rolled_back_at AS rolledBackAt FROM _prisma_migrations').all() as {
      name: string;
      checksum: string;
      finishedAt: unknown;
      rolledBackAt: unknown;
    }[];
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

async function runApply(target: EngineTarget, schema: string, migrationsList: MigrationList): Promise<string[]> {
  return withSchemaEngine(target, schema, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilter });
    return appliedMigrationNames;
  });
}

/**
 * Applies every pending migration: to a SQLite file (creating it and its folder if needed), or to a
 * PostgreSQL database under an advisory lock, so instances starting together migrate one at a time.
 */
export async function applyMigrations(location: DatabaseLocation | string, sources: MigrationSources = {}): Promise<string[]> {
  const target: DatabaseLocation = typeof location === 'string' ? { provider: 'sqlite', file: location } : location;
  const migrationsList = await readMigrationList(sources.migrationsDir ?? defaultMigrationsDir(target.provider));
  if (target.provider === 'sqlite') {
    mkdirSync(path.dirname(target.file), { recursive: true });
    if (allApplied(target.file, migrationsList)) return [];
    return runApply(target, await schemaFor('sqlite', sources), migrationsList);
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrateLockKey]);
    return await runApply(target, await schemaFor('postgresql', sources), migrationsList);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrateLockKey]).catch(() => {});
    await client.end();
  }
}

/** A diff's script, or null when it changes nothing. */
function scriptOrNull(stdout: DiffResult['stdout']): string | null {
  const sql = (stdout ?? '').trim();
  return sql === '' || sql === emptyMigration ? null : `${sql}\n`;
}

/**
 * The SQL that would bring a SQLite database built from the committed migrations up to `schema.prisma`,
 * or null when they agree (no drift).
 */
export async function pendingSchemaChanges(sources: MigrationSources = {}): Promise<string | null> {
  const schema = await schemaFor('sqlite', sources);
  const migrationsList = await readMigrationList(sources.migrationsDir ?? sqliteMigrationsDir);
  const { stdout } = await withSchemaEngine({ provider: 'sqlite', file: ':memory:' }, schema, (engine) =>
    engine.diff({
      from: migrationsList.migrationDirectories.length === 0 ? { tag: 'empty' } : { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    }),
  );
  return scriptOrNull(stdout);
}

/**
 * The SQL from one PostgreSQL datamodel (null: an empty database) to another, or null when they agree.
 * A diff of two datamodels needs no server, so the engine runs offline unless given one.
 */
export async function diffPostgresSchemas(from: string | null, to: string, target: EngineTarget = { provider: 'postgresql', offline: true }): Promise<string | null> {
  const { stdout } = await withSchemaEngine(target, to, (engine) =>
    engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: to }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    }),
  );
  return scriptOrNull(stdout);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

const slugOf = (name: string) => {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  if (slug === '') throw new Error('Give the migration a name, e.g. `npm run db:new-migration -- add_order_note`');
  return slug;
};

async function writeMigrationFolder(migrationsDir: string, folderName: string, sql: string, provider: Provider): Promise<string> {
  const folder = path.join(migrationsDir, folderName);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'migration.sql'), sql);
  await writeFile(
    path.join(migrationsDir, lockfileName),
    `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`,
    { flag: 'wx' },
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return folder;
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql for the pending schema changes; null if there are none. */
export async function createMigration(name: string, sources: MigrationSources = {}, now = new Date()): Promise<string | null> {
  const slug = slugOf(name);
  const sql = await pendingSchemaChanges(sources);
  if (sql === null) return null;
  return writeMigrationFolder(sources.migrationsDir ?? sqliteMigrationsDir, `${timestamp(now)}_${slug}`, sql, 'sqlite');
}

/** Whether prisma/postgresql/schema.prisma (the state the PostgreSQL migrations reach) matches schema.prisma. */
export function postgresMigrationsAreCurrent(sources: MigrationSources & { snapshotPath?: string } = {}): boolean {
  return readPostgresSnapshot(sources.snapshotPath) === readDerivedPostgresSchema(sources.schemaPath);
}

/**
 * Writes prisma/postgresql/migrations/<timestamp>_<name>/migration.sql: the difference between the schema
 * the PostgreSQL migrations reach (the committed snapshot) and the one derived from schema.prisma now, and
 * then moves the snapshot forward. No PostgreSQL server is involved (see diffPostgresSchemas).
 */
export async function createPostgresMigration(name: string, sources: MigrationSources & { snapshotPath?: string } = {}, now = new Date()): Promise<string | null> {
  const slug = slugOf(name);
  const snapshot = readPostgresSnapshot(sources.snapshotPath);
  const current = readDerivedPostgresSchema(sources.schemaPath);
  if (snapshot === current) return null;
  const sql = await diffPostgresSchemas(snapshot, current);
  const folder = sql === null ? null : await writeMigrationFolder(sources.migrationsDir ?? postgresMigrationsDir, `${timestamp(now)}_${slug}`, sql, 'postgresql');
  writePostgresSnapshot(current, sources.snapshotPath);
  return folder;
}

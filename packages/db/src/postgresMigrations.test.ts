import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, diffPostgresSchemas, postgresMigrationsAreCurrent } from './migrations.ts';
import { derivePostgresSchema, postgresSnapshotPath, readPostgresSnapshot } from './postgresSchema.ts';
import { schemaPath } from './paths.ts';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl, type TestDatabase } from './testing/postgresTestDatabase.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'wxtrpc-pg-migrations-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('prisma/postgresql (derived from schema.prisma)', () => {
  it('is current (run `npm run db:new-migration -- <name>` if this fails)', () => {
    expect(postgresMigrationsAreCurrent(), `prisma/postgresql/schema.prisma is behind prisma/schema.prisma`).toBe(true);
  });

  it('is reported behind when a field is added to schema.prisma without a PostgreSQL migration', async () => {
    const changed = path.join(scratch, 'schema.prisma');
    writeFileSync(changed, (await readFile(schemaPath, 'utf8')).replace('model Order {', 'model Order {\n  note String?'));
    expect(postgresMigrationsAreCurrent({ schemaPath: changed })).toBe(false);
  });
});

if (!testPostgresUrl) console.warn(postgresSkipNotice);

describe.skipIf(!testPostgresUrl)('PostgreSQL migrations against a real server', () => {
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  };
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  const pgDump = (url: string) => {
    const bindir = readdirSync('/usr/lib/postgresql').sort().at(-1);
    const dump = execFileSync(`/usr/lib/postgresql/${bindir}/bin/pg_dump`, ['--schema-only', '--no-owner', '--no-privileges', '--exclude-table=_prisma_migrations', url], {
      encoding: 'utf8',
    });
    const lines = dump
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('--') && !line.startsWith('SET ') && !line.startsWith('SELECT pg_catalog') && !line.startsWith('\\'));
    // A column added by a later migration comes last in its table: compare a table's columns as a set.
    const normalized: string[] = [];
    let columns: string[] | null = null;
    for (const line of lines) {
      if (line.startsWith('CREATE TABLE')) columns = [];
      else if (columns && line.startsWith(');')) {
        normalized.push(...columns.sort());
        columns = null;
      } else if (columns) {
        columns.push(line.replace(/,$/, ''));
        continue;
      }
      normalized.push(line);
    }
    return normalized.join('\n');
  };

  it('build exactly the schema in prisma/postgresql/schema.prisma', async () => {
    const migrated = await fresh();
    expect(await applyMigrations({ provider: 'postgresql', url: migrated.url })).not.toEqual([]);
    const expected = await fresh();
    const sql = await diffPostgresSchemas(null, readPostgresSnapshot(postgresSnapshotPath)!, { provider: 'postgresql', url: expected.url });
    const client = new pg.Client({ connectionString: expected.url });
    await client.connect();
    await client.query(sql!);
    await client.end();
    expect(pgDump(migrated.url)).toEqual(pgDump(expected.url));
  });

  it('are diffed offline (as db:new-migration does) exactly as with the server: empty → snapshot, snapshot → a new field', async () => {
    const server = { provider: 'postgresql' as const, url: (await fresh()).url };
    const snapshot = readPostgresSnapshot(postgresSnapshotPath)!;
    const changed = derivePostgresSchema((await readFile(schemaPath, 'utf8')).replace('model Order {', 'model Order {\n  note String?'));
    for (const [from, to] of [
      [null, snapshot],
      [snapshot, changed],
    ] as const) {
      const offline = await diffPostgresSchemas(from, to);
      expect(offline).not.toBeNull();
      expect(offline).toBe(await diffPostgresSchemas(from, to, server));
    }
  });

  it('are applied once when two instances start at the same time', async () => {
    const database = await fresh();
    const location = { provider: 'postgresql' as const, url: database.url };
    const [first, second] = await Promise.all([applyMigrations(location), applyMigrations(location)]);
    expect([...first, ...second]).toEqual(
      readdirSync(`${path.dirname(postgresSnapshotPath)}/migrations`, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    );
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    await client.end();
    expect(rows[0].n).toBe(first.length + second.length);
    expect(await applyMigrations(location)).toEqual([]);
  });
});

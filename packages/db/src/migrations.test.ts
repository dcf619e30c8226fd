import { createHash } from 'node:crypto';
import { copyFile, cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createMigration, createPostgresMigration, pendingSchemaChanges, postgresMigrationsAreCurrent } from './migrations.ts';
import { migrationsDir, schemaPath } from './paths.ts';
import { orderRow, userRow } from './factory.ts';
import { postgresMigrationsDir, postgresSnapshotPath, readDerivedPostgresSchema, readPostgresSnapshot } from './postgresSchema.ts';
import { prepareBulkInsert } from './sqliteBulkInsert.ts';

/** A factory row cut down to the columns the table has at this point of its history. */
const rowAsOf = <T extends object>(sqlite: Sqlite.Database, table: string, row: T): Partial<T> => {
  const columns = new Set((sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((column) => column.name));
  return Object.fromEntries(Object.entries(row).filter(([name]) => columns.has(name))) as Partial<T>;
};
const insertUser = (sqlite: Sqlite.Database) => {
  const row = rowAsOf(sqlite, 'User', userRow({ id: 'u' }));
  prepareBulkInsert(sqlite, 'User', row)(row);
};
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'wxtrpc-migrations-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('schema.prisma and prisma/migrations', () => {
  it('agree (run `npm run db:new-migration -- <name>` if this fails)', async () => {
    const pending = await pendingSchemaChanges();
    expect(pending, `schema.prisma has changes no migration covers:\n${pending}`).toBeNull();
  });

  it('disagree when a field is added to the schema without a migration', async () => {
    const changedSchema = path.join(scratch, 'schema.prisma');
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(changedSchema, schema.replace('model Order {', 'model Order {\n  note String?'));
    const pending = await pendingSchemaChanges({ schemaPath: changedSchema });
    expect(pending).toMatch(/ALTER TABLE "Order" ADD COLUMN "note" TEXT/);
  });
});

describe('applyMigrations', () => {
  it('creates a fresh database, records every migration as Prisma Migrate does, and is idempotent', async () => {
    const file = path.join(scratch, 'nested/dir/fresh.db');
    const folders = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(await applyMigrations(file)).toEqual(folders);
    expect(await applyMigrations(file)).toEqual([]);

    const sqlite = new Sqlite(file, { readonly: true });
    const rows = sqlite.prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name').all() as {
      migration_name: string;
      checksum: string;
      finished_at: string | null;
      rolled_back_at: string | null;
    }[];
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    sqlite.close();
    expect(tables).toEqual(expect.arrayContaining(['Order', 'Session', 'User', '_prisma_migrations']));
    for (const [index, row] of rows.entries()) {
      const sql = await readFile(path.join(migrationsDir, folders[index]!, 'migration.sql'));
      expect(row.migration_name).toBe(folders[index]);
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('releases the database when done, so another connection can write at once', async () => {
    const file = path.join(scratch, 'released.db');
    await applyMigrations(file);
    const sqlite = new Sqlite(file, { timeout: 0 });
    expect(() => insertUser(sqlite)).not.toThrow();
    sqlite.close();
  });

  it('applies a migration added later, leaving data in place', async () => {
    const dir = path.join(scratch, 'migrations-copy');
    await cp(migrationsDir, dir, { recursive: true });
    const file = path.join(scratch, 'later.db');
    await applyMigrations(file, { migrationsDir: dir });
    const sqlite = new Sqlite(file);
    insertUser(sqlite);
    sqlite.close();

    const changedSchema = path.join(scratch, 'later.prisma');
    await copyFile(schemaPath, changedSchema);
    await writeFile(changedSchema, (await readFile(changedSchema, 'utf8')).replace('model User {', 'model User {\n  city String?'));
    const folder = await createMigration('add user city', { schemaPath: changedSchema, migrationsDir: dir }, new Date('2099-01-01T00:00:00Z'));
    expect(path.basename(folder!)).toBe('20990101000000_add_user_city');
    expect(await pendingSchemaChanges({ schemaPath: changedSchema, migrationsDir: dir })).toBeNull();

    expect(await applyMigrations(file, { schemaPath: changedSchema, migrationsDir: dir })).toEqual(['20990101000000_add_user_city']);
    const check = new Sqlite(file, { readonly: true });
    expect(check.prepare('SELECT id, city FROM "User"').all()).toEqual([{ id: 'u', city: null }]);
    check.close();
  });
});

describe('createMigration and createPostgresMigration (what db:new-migration runs)', () => {
  it('write both migrations under one name, with no database server, and move the PostgreSQL snapshot forward', async () => {
    const dir = path.join(scratch, 'new-migration');
    const sources = {
      sqlite: { schemaPath: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') },
      postgresql: { schemaPath: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'postgresql/migrations'), snapshotPath: path.join(dir, 'postgresql/schema.prisma') },
    };
    await cp(migrationsDir, sources.sqlite.migrationsDir, { recursive: true });
    await cp(postgresMigrationsDir, sources.postgresql.migrationsDir, { recursive: true });
    await copyFile(postgresSnapshotPath, sources.postgresql.snapshotPath);
    await copyFile(schemaPath, sources.sqlite.schemaPath);
    const now = new Date('2099-02-03T04:05:06Z');
    expect(await createMigration('nothing', sources.sqlite, now)).toBeNull();
    expect(await createPostgresMigration('nothing', sources.postgresql, now)).toBeNull();

    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(sources.sqlite.schemaPath, schema.replace('model Order {', 'model Order {\n  note String?'));
    const sqliteFolder = await createMigration('add order note', sources.sqlite, now);
    const postgresFolder = await createPostgresMigration('add order note', sources.postgresql, now);

    expect(sqliteFolder).toBe(path.join(sources.sqlite.migrationsDir, '20990203040506_add_order_note'));
    expect(postgresFolder).toBe(path.join(sources.postgresql.migrationsDir, '20990203040506_add_order_note'));
    expect(await readFile(path.join(sqliteFolder!, 'migration.sql'), 'utf8')).toMatch(/ALTER TABLE "Order" ADD COLUMN "note" TEXT;/);
    expect(await readFile(path.join(postgresFolder!, 'migration.sql'), 'utf8')).toBe('-- AlterTable\nALTER TABLE "Order" ADD COLUMN     "note" TEXT;\n');
    expect(readPostgresSnapshot(sources.postgresql.snapshotPath)).toBe(readDerivedPostgresSchema(sources.postgresql.schemaPath));
    expect(postgresMigrationsAreCurrent(sources.postgresql)).toBe(true);
    expect(await pendingSchemaChanges(sources.sqlite)).toBeNull();
    expect(readPostgresSnapshot()).toBe(readDerivedPostgresSchema(schemaPath)); // the repository's own snapshot is untouched
  });
});

describe('applyMigrations on a database that needs attention', () => {
  it('refuses to go on past a failed migration (a row with neither finished_at nor rolled_back_at)', async () => {
    const file = path.join(scratch, 'failed.db');
    await applyMigrations(file);
    const sqlite = new Sqlite(file);
    sqlite
      .prepare('INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)')
      .run('x', 'abc', '20990101000000_broken', Date.now());
    sqlite.close();
    await expect(applyMigrations(file)).rejects.toThrow(/failed/i);
  });
});

describe('the order_items migration', () => {
  it('gives every existing order one item carrying its title and total', async () => {
    const folders = (await readdir(migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const itemsMigration = folders.find((name) => name.endsWith('_order_items'))!;
    const dir = path.join(scratch, 'before-items');
    await cp(migrationsDir, dir, {
      recursive: true,
      filter: (source) => !source.includes(itemsMigration) && !folders.slice(folders.indexOf(itemsMigration)).some((later) => source.includes(later)),
    });
    const file = path.join(scratch, 'items.db');
    await applyMigrations(file, { migrationsDir: dir });
    const sqlite = new Sqlite(file);
    insertUser(sqlite);
    const orders = [orderRow('u', { title: '咖啡', totalFen: 1_234 }), orderRow('u', { title: '面包', totalFen: 0 })];
    const insertOrder = prepareBulkInsert(sqlite, 'Order', rowAsOf(sqlite, 'Order', orders[0]!));
    for (const order of orders) insertOrder(rowAsOf(sqlite, 'Order', order));
    sqlite.close();

    await cp(path.join(migrationsDir, itemsMigration), path.join(dir, itemsMigration), { recursive: true });
    expect(await applyMigrations(file, { migrationsDir: dir })).toEqual([itemsMigration]);
    const check = new Sqlite(file, { readonly: true });
    const items = check.prepare('SELECT "orderId", position, title, "unitPriceFen", quantity FROM "OrderItem" ORDER BY title').all();
    check.close();
    expect(items).toEqual([
      { orderId: orders[0]!.id, position: 0, title: '咖啡', unitPriceFen: 1_234, quantity: 1 },
      { orderId: orders[1]!.id, position: 0, title: '面包', unitPriceFen: 0, quantity: 1 },
    ]);
  });
});

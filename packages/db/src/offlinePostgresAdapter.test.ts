import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffPostgresSchemas } from './migrations.ts';
import { offlinePostgresAdapter } from './offlinePostgresAdapter.ts';
import { schemaPath } from './paths.ts';
import { readDerivedPostgresSchema, readPostgresSnapshot } from './postgresSchema.ts';
import { withSchemaEngine } from './schemaEngine.ts';

const offline = { provider: 'postgresql', offline: true } as const;
const filters = { externalTables: [], externalEnums: [] };
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'wxtrpc-offline-pg-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('the schema engine on the offline PostgreSQL adapter', () => {
  it('diffs an empty database to the committed snapshot', async () => {
    const sql = await diffPostgresSchemas(null, readPostgresSnapshot()!);
    expect(sql).toMatch(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";/);
    expect(sql).toContain(`CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED');`);
    for (const table of ['User', 'Session', 'Order']) expect(sql).toContain(`CREATE TABLE "${table}" (`);
    expect(sql).toContain('"secretHash" BYTEA NOT NULL');
    expect(sql).toContain('CREATE INDEX "Order_userId_createdAt_id_idx" ON "Order"("userId", "createdAt" DESC, "id" DESC);');
    expect(sql).toContain('ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE');
  });

  it('diffs the snapshot to schema.prisma with a field and a model added', async () => {
    const changed = path.join(scratch, 'schema.prisma');
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(changed, `${schema.replace('model Order {', 'model Order {\n  note String?')}\nmodel Coupon {\n  id   String @id\n  code String @unique\n}\n`);
    expect(await diffPostgresSchemas(readPostgresSnapshot()!, readDerivedPostgresSchema(changed))).toBe(
      [
        '-- AlterTable',
        'ALTER TABLE "Order" ADD COLUMN     "note" TEXT;',
        '',
        '-- CreateTable',
        'CREATE TABLE "Coupon" (',
        '    "id" TEXT NOT NULL,',
        '    "code" TEXT NOT NULL,',
        '',
        '    CONSTRAINT "Coupon_pkey" PRIMARY KEY ("id")',
        ');',
        '',
        '-- CreateIndex',
        'CREATE UNIQUE INDEX "Coupon_code_key" ON "Coupon"("code");',
        '',
      ].join('\n'),
    );
  });

  it('finds nothing to do between a schema and itself', async () => {
    const snapshot = readPostgresSnapshot()!;
    expect(await diffPostgresSchemas(snapshot, snapshot)).toBeNull();
  });

  it('fails loudly, with the adapter error itself, on work that needs a real server', async () => {
    const snapshot = readPostgresSnapshot()!;
    await expect(
      withSchemaEngine(offline, snapshot, (engine) =>
        engine.applyMigrations({
          migrationsList: { baseDir: scratch, lockfile: { path: 'migration_lock.toml', content: null }, shadowDbInitScript: '', migrationDirectories: [] },
          filters,
        }),
      ),
    ).rejects.toThrow(/^offline PostgreSQL adapter: unexpected query: SELECT pg_advisory_lock\(/);
    await expect(
      withSchemaEngine(offline, snapshot, (engine) =>
        engine.diff({
          from: {
            tag: 'migrations',
            baseDir: scratch,
            lockfile: { path: 'migration_lock.toml', content: 'provider = "postgresql"' },
            shadowDbInitScript: '',
            migrationDirectories: [],
          },
          to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: snapshot }] },
          script: true,
          exitCode: null,
          filters,
        }),
      ),
    ).rejects.toThrow('offline PostgreSQL adapter: unexpected shadow database');
  });
});

describe('offlinePostgresAdapter', () => {
  it('refuses any query but the one the engine sends on connect', async () => {
    const connection = await offlinePostgresAdapter.connect();
    const query = (sql: string) => ({ sql, args: [], argTypes: [] });
    await expect(connection.queryRaw(query('SELECT 1'))).rejects.toThrow('offline PostgreSQL adapter: unexpected query: SELECT 1');
    await expect(connection.executeRaw(query('DROP TABLE "User"'))).rejects.toThrow('offline PostgreSQL adapter: unexpected query: DROP TABLE "User"');
    await expect(connection.executeScript('CREATE TABLE t (id int)')).rejects.toThrow('offline PostgreSQL adapter: unexpected query: CREATE TABLE t (id int)');
    await expect(connection.startTransaction()).rejects.toThrow('offline PostgreSQL adapter: unexpected transaction');
  });
});

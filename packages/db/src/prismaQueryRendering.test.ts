// patches/@prisma+client+*.patch: Prisma Client renders a query template of plain parameters once per compiled
// query and keeps the text, instead of rendering it again on every execution; templates with IN lists are
// rendered every time, as before (docs/benchmarks.md). These tests show the patch is what Node loads, and that
// both kinds of template give the SQL text and arguments the unpatched runtime gave (recorded from it) on
// SQLite and on PostgreSQL, each call with its own arguments.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './Database.ts';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.ts';
import { PrismaClient as SqliteClient } from './generated/prisma/client.ts';
import { applyMigrations } from './migrations.ts';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl } from './testing/postgresTestDatabase.ts';

interface Executed {
  sql: string;
  params: unknown[];
}
type Opened = { db: Db; executed: Executed[]; close(): Promise<void> };

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'wxtrpc-rendering-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Records every statement a client sends (Prisma's query events: the text and the arguments as sent). */
const recordInto = (executed: Executed[]) => (event: { query: string; params: string }) => executed.push({ sql: event.query, params: JSON.parse(event.params) as unknown[] });

const databases: [string, () => Promise<Opened>][] = [
  [
    'SQLite',
    async () => {
      const file = path.join(scratch, 'app.db');
      await applyMigrations(file);
      const adapter = new PrismaBetterSqlite3({ url: `file:${file}` }, { timestampFormat: 'unixepoch-ms' });
      const client = new SqliteClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
      const executed: Executed[] = [];
      client.$on('query', recordInto(executed));
      return { db: client, executed, close: () => client.$disconnect() };
    },
  ],
];
if (testPostgresUrl) {
  databases.push([
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      await applyMigrations({ provider: 'postgresql', url: database.url });
      const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: database.url }), log: [{ emit: 'event', level: 'query' }] });
      const executed: Executed[] = [];
      client.$on('query', recordInto(executed));
      const close = async () => {
        await client.$disconnect();
        await database.drop();
      };
      return { db: client as unknown as Db, executed, close };
    },
  ]);
} else {
  console.warn(postgresSkipNotice);
}

// What the unpatched runtime (@prisma/client 7.10.0) sent for these queries, per dialect.
const expectedSql = {
  SQLite: {
    upsert:
      'INSERT INTO `main`.`User` (`id`, `openid`, `sessionKey`, `createdAt`, `updatedAt`) VALUES (?,?,?,?,?) ON CONFLICT  (`openid`) DO UPDATE SET `sessionKey` = ?, `updatedAt` = ? WHERE (`main`.`User`.`openid` = ? AND 1=1) RETURNING `id` AS `id`, `nickName` AS `nickName`',
    createSession: 'INSERT INTO `main`.`Session` (`id`, `secretHash`, `userId`, `createdAt`, `expiresAt`, `lastUsedAt`) VALUES (?,?,?,?,?,?) RETURNING `id` AS `id`',
    count: 'SELECT COUNT(*) AS `_count$_all` FROM (SELECT `main`.`Session`.`id` FROM `main`.`Session` WHERE `main`.`Session`.`userId` = ? LIMIT ? OFFSET ?) AS `sub`',
    usersIn: (placeholders: string) =>
      `SELECT \`main\`.\`User\`.\`id\` FROM \`main\`.\`User\` WHERE (\`main\`.\`User\`.\`id\` IN (${placeholders}) AND \`main\`.\`User\`.\`nickName\` IS NULL) LIMIT ? OFFSET ?`,
    placeholders: (_from: number, count: number) => Array.from({ length: count }, () => '?').join(','),
    pageArgs: [-1, '0'],
  },
  PostgreSQL: {
    upsert:
      'INSERT INTO "public"."User" ("id","openid","sessionKey","createdAt","updatedAt") VALUES ($1,$2,$3,$4,$5) ON CONFLICT ("openid") DO UPDATE SET "sessionKey" = $6, "updatedAt" = $7 WHERE ("public"."User"."openid" = $8 AND 1=1) RETURNING "public"."User"."id", "public"."User"."nickName"',
    createSession: 'INSERT INTO "public"."Session" ("id","secretHash","userId","createdAt","expiresAt","lastUsedAt") VALUES ($1,$2,$3,$4,$5,$6) RETURNING "public"."Session"."id"',
    count: 'SELECT COUNT(*) AS "_count$_all" FROM (SELECT "public"."Session"."id" FROM "public"."Session" WHERE "public"."Session"."userId" = $1 OFFSET $2) AS "sub"',
    usersIn: (placeholders: string) =>
      `SELECT "public"."User"."id" FROM "public"."User" WHERE ("public"."User"."id" IN (${placeholders}) AND "public"."User"."nickName" IS NULL) OFFSET $${placeholders.split(',').length + 1}`,
    placeholders: (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(','),
    pageArgs: ['0'],
  },
} as const;

const createdAt = new Date('2026-11-01T08:00:00.000Z');
const anyTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe('Prisma Client, patched', () => {
  it('is patched in the runtime Node loads for the generated clients (npm ci runs patch-package)', () => {
    const runtime = createRequire(import.meta.url).resolve('@prisma/client/runtime/client');
    expect(path.basename(runtime)).toBe('client.js');
    expect(readFileSync(runtime, 'utf8')).toContain('wxtrpc patch');
  });
});

describe.each(databases)('query templates rendered once, on %s', (name, open) => {
  const expected = expectedSql[name as keyof typeof expectedSql];
  let opened: Opened;
  beforeAll(async () => {
    opened = await open();
    for (const n of [1, 2, 3]) await opened.db.user.create({ data: { id: `listed-${n}`, openid: `listed-${n}`, sessionKey: 'key', createdAt } });
  });
  afterAll(() => opened?.close());

  const sent = async (work: () => Promise<unknown>) => {
    opened.executed.length = 0;
    await work();
    return opened.executed.filter((statement) => statement.sql !== 'COMMIT');
  };

  it('sends the text the unpatched runtime sent, with each call’s own arguments', async () => {
    const { db } = opened;
    for (const n of [1, 2, 3]) {
      const upsert = () =>
        db.user.upsert({
          where: { openid: `render-${n}` },
          create: { id: `render-user-${n}`, openid: `render-${n}`, sessionKey: `key-${n}`, createdAt },
          update: { sessionKey: `key-${n}b` },
          select: { id: true, nickName: true },
        });
      expect(await sent(upsert)).toEqual([
        { sql: expected.upsert, params: [`render-user-${n}`, `render-${n}`, `key-${n}`, createdAt.toISOString(), anyTime, `key-${n}b`, anyTime, `render-${n}`] },
      ]);
      expect(await upsert()).toEqual({ id: `render-user-${n}`, nickName: null });

      const inTransaction = () =>
        db.$transaction(async (tx) => {
          await tx.session.create({
            data: { id: `render-session-${n}`, secretHash: new Uint8Array([n]), userId: `render-user-${n}`, createdAt, expiresAt: createdAt, lastUsedAt: createdAt },
            select: { id: true },
          });
          return tx.session.count({ where: { userId: `render-user-${n}` } });
        });
      let count = 0;
      expect(await sent(async () => (count = await inTransaction()))).toEqual([
        { sql: expected.createSession, params: [`render-session-${n}`, Buffer.from([n]).toString('base64'), `render-user-${n}`, ...Array(3).fill(createdAt.toISOString())] },
        { sql: expected.count, params: [`render-user-${n}`, ...expected.pageArgs] },
      ]);
      expect(count).toBe(1);
    }
  });

  it('renders a template with an IN list for each call, as long as that call’s list', async () => {
    const { db } = opened;
    for (const ids of [['listed-1'], ['listed-1', 'listed-2', 'nobody'], ['listed-3', 'listed-2']]) {
      let found: { id: string }[] = [];
      const statements = await sent(async () => (found = await db.user.findMany({ where: { id: { in: ids }, nickName: null }, select: { id: true } })));
      expect(statements).toEqual([{ sql: expected.usersIn(expected.placeholders(1, ids.length)), params: [...ids, ...expected.pageArgs] }]);
      expect(found.map((user) => user.id).sort()).toEqual(ids.filter((id) => id !== 'nobody').sort());
    }
  });
});

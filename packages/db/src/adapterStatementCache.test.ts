// patches/@prisma+adapter-better-sqlite3+*.patch: the adapter prepares each SQL text once per connection
// (an LRU of 200) instead of for every query (docs/benchmarks.md). These tests show the patch is installed,
// that a cached statement answers each call with that call's arguments, and that evicted ones come back.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './Database.ts';
import { userRow } from './factory.ts';
import { applyMigrations } from './migrations.ts';
import { openDatabase } from './openDatabase.ts';

let scratch: string;
let database: Database;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'wxtrpc-statement-cache-'));
  const file = path.join(scratch, 'app.db');
  await applyMigrations(file);
  database = await openDatabase({ provider: 'sqlite', file });
});
afterAll(async () => {
  await database?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Counts better-sqlite3's prepare() calls (every connection's) while `work` runs. */
async function preparesDuring(work: () => Promise<void>): Promise<number> {
  const prepare = Sqlite.prototype.prepare;
  let calls = 0;
  Sqlite.prototype.prepare = function (this: Sqlite.Database, ...args: Parameters<typeof prepare>) {
    calls++;
    return prepare.apply(this, args);
  } as typeof prepare;
  try {
    await work();
  } finally {
    Sqlite.prototype.prepare = prepare;
  }
  return calls;
}

describe("Prisma's better-sqlite3 adapter, patched", () => {
  it('is patched in the installed @prisma/adapter-better-sqlite3 (npm ci runs patch-package)', () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@prisma/adapter-better-sqlite3'));
    const files = readdirSync(dist).filter((file) => /\.(mjs|js)$/.test(file));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(path.join(dist, file), 'utf8'), file).toContain('wxtrpc patch');
  });

  it('prepares a query once and answers every call with its own arguments', async () => {
    const users = Array.from({ length: 30 }, (_, i) => userRow({ openid: `cache-openid-${i}` }));
    await database.db.user.create({ data: users[0]! }); // the insert and its SQL prepared here
    await database.db.user.findUnique({ where: { openid: users[0]!.openid }, select: { id: true } });
    const prepares = await preparesDuring(async () => {
      for (const user of users.slice(1)) await database.db.user.create({ data: user });
      for (const user of users) expect((await database.db.user.findUnique({ where: { openid: user.openid }, select: { id: true } }))?.id).toBe(user.id);
      expect(await database.db.user.findUnique({ where: { openid: 'nobody' }, select: { id: true } })).toBeNull();
    });
    expect(prepares).toBe(0);
  });

  it('runs writes and reads of one statement text in any order, inside and outside transactions', async () => {
    const user = userRow({ openid: 'cache-writes' });
    await database.db.user.create({ data: user });
    for (const nickName of ['a', 'b', 'c']) {
      await database.db.$transaction(async (tx) => {
        expect((await tx.user.updateMany({ where: { openid: user.openid }, data: { nickName } })).count).toBe(1);
      });
      expect((await database.db.user.findUnique({ where: { openid: user.openid } }))?.nickName).toBe(nickName);
    }
    expect((await database.db.user.updateMany({ where: { openid: 'nobody' }, data: { nickName: 'x' } })).count).toBe(0);
  });

  it('keeps the 200 most recently used statements and prepares an evicted one again', async () => {
    const distinct = (i: number) => database.db.$queryRawUnsafe<{ n: number }[]>(`SELECT ? + ${i} AS n`, 1);
    expect(await distinct(0)).toEqual([{ n: 1 }]);
    for (let i = 1; i <= 200; i++) expect(await distinct(i)).toEqual([{ n: i + 1 }]); // pushes SELECT ? + 0 out
    expect(await preparesDuring(async () => void expect(await distinct(200)).toEqual([{ n: 201 }]))).toBe(0);
    expect(await preparesDuring(async () => void expect(await distinct(0)).toEqual([{ n: 1 }]))).toBe(1);
  });
});

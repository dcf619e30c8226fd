import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyMigrations } from './migrations.ts';
import { seedLargeDataset } from './seedLargeDataset.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-seed-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const schemaOf = (sqlite: Sqlite.Database) => sqlite.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name").all();

it('fills users and orders, gives the heavy user its share, and leaves the schema exactly as migrated', async () => {
  const file = path.join(dir, 'seed.db');
  await applyMigrations(file);
  const before = schemaOf(new Sqlite(file, { readonly: true }));
  const result = seedLargeDataset(file, { users: 6, orders: 1_000, heavyUserOrders: 400 });
  const sqlite = new Sqlite(file, { readonly: true });
  const counts = sqlite.prepare('SELECT userId, count(*) AS n FROM "Order" GROUP BY userId ORDER BY n DESC').all() as { userId: string; n: number }[];
  expect(counts[0]).toEqual({ userId: result.heavyUserId, n: 400 });
  expect(
    counts
      .slice(1)
      .map((c) => c.n)
      .reduce((a, b) => a + b),
  ).toBe(600);
  expect(counts).toHaveLength(6);
  expect(sqlite.prepare('SELECT count(DISTINCT id) FROM "Order"').pluck().get()).toBe(1_000);
  expect(sqlite.prepare('SELECT count(*) FROM "Order" WHERE typeof(createdAt) != \'integer\' OR totalFen != CAST(totalFen AS INTEGER)').pluck().get()).toBe(0);
  expect(result.items).toBe(sqlite.prepare('SELECT count(*) FROM "OrderItem"').pluck().get());
  // 1-3 items per order, adding up to the order's total, and every order id a valid UUID (order.detail takes only those).
  const perOrder = sqlite
    .prepare(
      'SELECT o.id, o.totalFen, count(i.id) AS items, sum(i.unitPriceFen * i.quantity) AS itemsTotal FROM "Order" o LEFT JOIN "OrderItem" i ON i.orderId = o.id GROUP BY o.id',
    )
    .all() as { id: string; totalFen: number; items: number; itemsTotal: number }[];
  expect(perOrder.filter((o) => o.items < 1 || o.items > 3 || o.itemsTotal !== o.totalFen)).toEqual([]);
  expect(new Set(perOrder.map((o) => o.items))).toEqual(new Set([1, 2, 3]));
  expect(perOrder.filter((o) => !/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(o.id))).toEqual([]);
  expect(schemaOf(sqlite)).toEqual(before);
  expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  sqlite.close();
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations, openDatabase, type Database } from '@wxtrpc/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemoData } from './seedDemoData.ts';

let dir: string;
let database: Database;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-demo-'));
  const location = { provider: 'sqlite' as const, file: path.join(dir, 'demo.db') };
  await applyMigrations(location);
  database = await openDatabase(location);
});
afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

it('gives the demo user orders of every status with 1-4 items each that add up to the total, once', async () => {
  expect(await seedDemoData(database.db, 'demo-openid')).toEqual({ orders: 36 });
  expect(await seedDemoData(database.db, 'demo-openid')).toBeNull(); // only on an empty database
  const orders = await database.db.order.findMany({ include: { items: true }, where: { user: { openid: 'demo-openid' } } });
  expect(orders).toHaveLength(36);
  expect(new Set(orders.map((order) => order.status)).size).toBe(5);
  expect(new Set(orders.map((order) => order.items.length))).toEqual(new Set([1, 2, 3, 4]));
  for (const order of orders) expect(order.items.reduce((sum, item) => sum + item.unitPriceFen * item.quantity, 0)).toBe(order.totalFen);
});

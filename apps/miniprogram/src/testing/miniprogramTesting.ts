// Test helpers for the built mini-program (dist/): a server with orders, the fake wx, and polling.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createOrders, orderStatuses } from '@wxtrpc/db';
import { createFakeWx, type FakeWx } from '@wxtrpc/wx-link/testing';
import type { TestServer } from '@wxtrpc/server/testing';

export const distDir = path.resolve(import.meta.dirname, '../../dist');
const require = createRequire(import.meta.url);

/** Points the built app at the test server and installs the fake wx as the global `wx`. */
export function installFakeWx(server: TestServer, user: string): FakeWx {
  if (!existsSync(path.join(distDir, 'app.js'))) throw new Error('dist/ is missing: run `npm run build -w @wxtrpc/miniprogram` (npm test does)');
  (require(path.join(distDir, 'config.js')) as { config: { apiUrl: string } }).config.apiUrl = `${server.url}/trpc`;
  const wx = createFakeWx({ emulatorUrl: server.emulator.url, user });
  (globalThis as { wx?: unknown }).wx = wx;
  return wx;
}

/** Gives a user `count` orders (one item each), newest first: order i costs 123456 + i fen and is i hours old. */
export async function insertOrders(server: TestServer, userId: string, count: number) {
  const now = Date.now();
  const orders = Array.from({ length: count }, (_, i) => ({
    title: `商品 ${i}`,
    totalFen: 123_456 + i,
    status: orderStatuses[i % orderStatuses.length]!,
    createdAt: new Date(now - i * 3_600_000),
  }));
  return createOrders(server.db, userId, orders);
}

export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

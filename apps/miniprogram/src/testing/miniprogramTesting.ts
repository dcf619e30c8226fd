// Test helpers for the built mini-program (dist/): a server with orders, the fake wx, and polling.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createOrders, orderStatuses, type CreateOrdersOptions } from '@wxtrpc/db';
import { createFakeWx, type FakeWx } from '@wxtrpc/wx-link/testing';
import type { TestServer } from '@wxtrpc/server/testing';

export const distDir = path.resolve(import.meta.dirname, '../../dist');
const require = createRequire(import.meta.url);

/**
 * Vitest's jsdom environment replaces the global ArrayBuffer and Uint8Array with jsdom's; the test server
 * runs in the same process, and Fastify sends a Buffer as JSON text unless `payload.buffer instanceof
 * ArrayBuffer`. Page tests put Node's back (jsdom does not need them to render).
 */
export function restoreNodeArrayBuffers() {
  const NodeUint8Array = Object.getPrototypeOf(Buffer.prototype).constructor as typeof Uint8Array;
  Object.assign(globalThis, { Uint8Array: NodeUint8Array, ArrayBuffer: new NodeUint8Array(0).buffer.constructor });
}

/** Points the built app at the test server and installs the fake wx as the global `wx` (and Node's ArrayBuffer back). */
export function installFakeWx(server: TestServer, user: string): FakeWx {
  restoreNodeArrayBuffers();
  if (!existsSync(path.join(distDir, 'app.js'))) throw new Error('dist/ is missing: run `npm run build -w @wxtrpc/miniprogram` (npm test does)');
  (require(path.join(distDir, 'config.js')) as { config: { apiUrl: string } }).config.apiUrl = `${server.url}/trpc`;
  const wx = createFakeWx({ emulatorUrl: server.emulator.url, user });
  (globalThis as { wx?: unknown }).wx = wx;
  return wx;
}

/**
 * Gives a user `count` orders, newest first: order i costs 123456 + i fen, is i hours old and has one
 * item unless `options.items` says otherwise (the factory splits the total exactly over the items).
 */
export async function insertOrders(server: TestServer, userId: string, count: number, options: CreateOrdersOptions = {}) {
  const now = Date.now();
  const orders = Array.from({ length: count }, (_, i) => ({
    title: `商品 ${i}`,
    totalFen: 123_456 + i,
    status: orderStatuses[i % orderStatuses.length]!,
    createdAt: new Date(now - i * 3_600_000),
  }));
  return createOrders(server.db, userId, orders, options);
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

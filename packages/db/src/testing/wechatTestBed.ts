// For the tests of the WeChat access_token over the real store: the database opened twice (two instances
// of the server), on SQLite and on PostgreSQL where TEST_POSTGRES_URL is set, and per test a fresh
// emulator with its own appid (so its row is its own) on a clock the test moves.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAccessTokenManager, startWechatEmulator, type AccessTokenManagerOptions, type EmulatorStats } from '@wxtrpc/wechat';
import { expect, onTestFinished } from 'vitest';
import { createAccessTokenStore } from '../createAccessTokenStore.ts';
import type { Database } from '../Database.ts';
import type { DatabaseLocation } from '../databaseUrl.ts';
import { applyMigrations } from '../migrations.ts';
import { openDatabase } from '../openDatabase.ts';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl } from './postgresTestDatabase.ts';

export interface TwoInstances {
  /** Two connections (pools) to one database, as two server instances have. */
  databases: [Database, Database];
  close(): Promise<void>;
}

async function openTwice(location: DatabaseLocation, cleanup: () => Promise<void>): Promise<TwoInstances> {
  await applyMigrations(location);
  const databases: [Database, Database] = [await openDatabase(location), await openDatabase(location)];
  return {
    databases,
    async close() {
      for (const database of databases) await database.close();
      await cleanup();
    },
  };
}

/** SQLite, and PostgreSQL when TEST_POSTGRES_URL is set (a skip notice otherwise). */
export const databaseKinds: [string, () => Promise<TwoInstances>][] = [
  [
    'SQLite',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-access-token-'));
      return openTwice({ provider: 'sqlite', file: path.join(dir, 'app.db') }, () => rm(dir, { recursive: true, force: true }));
    },
  ],
];
if (testPostgresUrl) {
  databaseKinds.push([
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      return openTwice({ provider: 'postgresql', url: database.url }, database.drop);
    },
  ]);
} else {
  console.warn(postgresSkipNotice);
}

export const t0 = Date.parse('2026-12-01T02:00:00Z'); // 10:00 in Beijing

/** A fresh emulator with its own appid and secret, closed when the test ends; managers on `instances` share its clock. */
export async function startWechatWorld(instances: TwoInstances) {
  const appid = `wx${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const clock = { now: t0 };
  const emulator = await startWechatEmulator({ appid, secret, now: () => clock.now });
  onTestFinished(() => emulator.close());

  const send = async (method: string, pathname: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${pathname}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${pathname}`).toBe(200);
    return (await response.json()) as Record<string, any>;
  };
  const post = (pathname: string, body: unknown = {}) => send('POST', pathname, body);

  return {
    appid,
    secret,
    clock,
    url: emulator.url,
    send,
    post,
    stats: () => send('GET', '/emulator/stats') as Promise<EmulatorStats>,
    issued: () => send('GET', '/emulator/issued') as Promise<{ accessTokens: string[]; phoneNumbers: string[]; phoneCodes: string[] }>,
    /** Faults for the next `count` requests to an endpoint. */
    inject: (endpoint: string, fault: Record<string, unknown>) => post('/emulator/faults', { endpoint, ...fault }),
    /** A manager on instance 0 or 1, on this world's emulator and clock. */
    manager: (instance: 0 | 1, overrides: Partial<AccessTokenManagerOptions> = {}) =>
      createAccessTokenManager({
        appid,
        secret,
        baseUrl: emulator.url,
        store: createAccessTokenStore(instances.databases[instance].db),
        timeoutMs: 5_000,
        retryDelayMs: 5,
        now: () => clock.now,
        ...overrides,
      }),
    row: () => instances.databases[0].db.wechatAccessToken.findUnique({ where: { appid } }),
  };
}

export type WechatWorld = Awaited<ReturnType<typeof startWechatWorld>>;

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** Everything an error shows: message, stack, own fields. */
export const everythingIn = (error: Error) => `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;

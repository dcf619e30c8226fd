// The same server on PostgreSQL: what held on SQLite still holds, and several instances share sessions.
import { createOrders } from '@wxtrpc/db';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl, type TestDatabase } from '@wxtrpc/db/testing';
import { startWechatEmulator, type RunningWechatEmulator } from '@wxtrpc/wechat';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from './testing/spawnServer.ts';
import { startTestServer, testAppid, testSecret, trpcError, type TestServer } from './testing/startTestServer.ts';

if (!testPostgresUrl) console.warn(postgresSkipNotice);

const day = 24 * 3_600_000;

describe.skipIf(!testPostgresUrl)('on PostgreSQL', () => {
  let database: TestDatabase;
  let server: TestServer;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ env: { DATABASE_URL: database.url } });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await server?.close();
    await database?.drop();
  });

  it('migrated the database at start-up and reports ready', async () => {
    const { rows } = await sql.query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL');
    expect(rows.length).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('lets 50 concurrent logins of one WeChat user all succeed, with one user row and the session cap (20) holding', async () => {
    const codes = await Promise.all(Array.from({ length: 50 }, () => server.mint('pg-crowd')));
    const results = await Promise.all(codes.map((code) => server.client().auth.login.mutate({ code })));
    expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
    const users = await sql.query('SELECT count(*)::int AS n FROM "User" WHERE id = $1', [results[0]!.user.id]);
    const sessions = await sql.query('SELECT count(*)::int AS n FROM "Session" WHERE "userId" = $1', [results[0]!.user.id]);
    expect([users.rows[0].n, sessions.rows[0].n]).toEqual([1, 20]);
    const checks = await Promise.all(results.map((r) => server.client(r.token).auth.check.query()));
    expect(checks.filter((c) => c.valid)).toHaveLength(20);
  });

  it('slides the expiry, and logs out at once', async () => {
    const { token, expiresAt } = await server.login('pg-slide');
    server.advance(16 * day);
    try {
      const renewed = await server.client(token).auth.check.query();
      expect(renewed.valid).toBe(true);
      expect(new Date(renewed.expiresAt!).getTime()).toBeGreaterThan(new Date(expiresAt).getTime());
      await server.client(token).auth.logout.mutate();
      await expect(server.client(token).auth.check.query()).resolves.toEqual({ valid: false, expiresAt: null });
    } finally {
      server.advance(-16 * day);
    }
  });

  it('pages orders by keyset with no duplicate and no gap', async () => {
    const { token, user } = await server.login('pg-orders');
    const start = Date.now();
    await createOrders(
      server.db,
      user.id,
      Array.from({ length: 37 }, (_, i) => ({
        id: `pg-order-${String(i).padStart(2, '0')}`,
        title: `t${i}`,
        totalFen: i,
        status: 'PAID',
        createdAt: new Date(start - Math.floor(i / 3) * 1000),
      })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await server.client(token).order.list.query({ limit: 5, cursor });
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    const expected = Array.from({ length: 37 }, (_, i) => i)
      .sort((a, b) => Math.floor(a / 3) - Math.floor(b / 3) || b - a)
      .map((i) => `pg-order-${String(i).padStart(2, '0')}`);
    expect(seen).toEqual(expected);
    const error = await trpcError(server.client(token).order.list.query({ cursor: 'forged' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
  });

  it('scans every table for leaks when a test server closes', async () => {
    const own = await createTestDatabase();
    try {
      const leaky = await startTestServer({ env: { DATABASE_URL: own.url } });
      const { token, user } = await leaky.login('pg-leak');
      await leaky.db.user.update({ where: { id: user.id }, data: { nickName: token.split('.')[1]! } });
      await expect(leaky.close()).rejects.toThrow(/a raw token is in the database/);
    } finally {
      await own.drop();
    }
  });
});

describe.skipIf(!testPostgresUrl)('several instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let emulator: RunningWechatEmulator;
  let a: SpawnedServer;
  let b: SpawnedServer;
  const tokens: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    emulator = await startWechatEmulator({ appid: testAppid, secret: testSecret });
    const env = {
      DATABASE_URL: database.url,
      WECHAT_APPID: testAppid,
      WECHAT_SECRET: testSecret,
      WECHAT_API_BASE_URL: emulator.url,
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: 'https://api.example.com',
    };
    // Both start at once: one migrates while the other waits on the migration lock.
    [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
    await Promise.all([a.waitUntilReady(), b.waitUntilReady()]);
  });
  afterAll(async () => {
    for (const instance of [a, b]) {
      instance?.child.kill('SIGTERM');
      await instance?.exited;
    }
    try {
      // Everything both printed, from start-up to shutdown (the emulator is this process's, still running).
      if (a && b) {
        const issued = await a.issued();
        for (const instance of [a, b]) expect(instance.leaks(issued, tokens)).toEqual([]);
      }
    } finally {
      await emulator?.close();
      await database?.drop();
    }
  });

  const call = async (instance: SpawnedServer, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${instance.url}/trpc/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('logs in through A, answers through B, logs out through B, and A refuses the token at once', async () => {
    const { code } = (await (
      await fetch(`${emulator.url}/emulator/wx-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"roamer"}' })
    ).json()) as {
      code: string;
    };
    const login = await call(a, 'auth.login', undefined, { code });
    const token = login.body.result.data.token as string;
    tokens.push(token);
    expect((await call(b, 'auth.check', token)).body.result.data.valid).toBe(true);
    expect((await call(b, 'order.list', token)).body.result.data).toEqual({ items: [], nextCursor: null });
    expect((await call(b, 'auth.logout', token, {})).status).toBe(200);
    expect((await call(a, 'auth.check', token)).body.result.data.valid).toBe(false);
    expect((await call(a, 'order.list', token)).status).toBe(401);
  });
});

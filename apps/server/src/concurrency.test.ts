import Sqlite from 'better-sqlite3';
import { createOrders, orderStatuses } from '@wxtrpc/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, trpcError, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const query = <T>(databaseFile: string, sql: string, ...params: unknown[]) => {
  const sqlite = new Sqlite(databaseFile, { readonly: true });
  try {
    return sqlite.prepare(sql).all(...params) as T[];
  } finally {
    sqlite.close();
  }
};

/**
 * Runs a burst test on a server of its own. On the file's shared server, keep-alive connections left open by
 * whichever test ran before let a burst arrive all at once, and it then outruns the test server's 1 s WeChat
 * timeout (client, server and emulator share one event loop), so the result depended on the test order.
 */
async function withOwnServer(test: (server: TestServer) => Promise<void>) {
  // Hundreds of logins at once share two cores with the in-process emulator: give WeChat time to answer.
  const own = await startTestServer({ env: { WECHAT_TIMEOUT_MS: '15000' } });
  try {
    await test(own);
  } finally {
    await own.close();
  }
}

describe('concurrent logins', () => {
  it('50 at once for one WeChat user all succeed, with one user row and the session cap (20) holding', () =>
    withOwnServer(async (server) => {
      const codes = await Promise.all(Array.from({ length: 50 }, () => server.mint('crowd')));
      const results = await Promise.all(codes.map((code) => server.client().auth.login.mutate({ code })));
      const userIds = new Set(results.map((r) => r.user.id));
      expect(userIds.size).toBe(1);
      const [userId] = userIds;
      expect(query<{ n: number }>(server.databaseFile, 'SELECT count(*) AS n FROM "User" WHERE id = ?', userId)[0]!.n).toBe(1);
      expect(query<{ n: number }>(server.databaseFile, 'SELECT count(*) AS n FROM "Session" WHERE userId = ?', userId)[0]!.n).toBe(20);
      const checks = await Promise.all(results.map((r) => server.client(r.token).auth.check.query()));
      expect(checks.filter((c) => c.valid)).toHaveLength(20);
    }));

  it('200 at once for distinct users all succeed, with no SQLITE_BUSY reaching anyone', () =>
    withOwnServer(async (server) => {
      const codes = await Promise.all(Array.from({ length: 200 }, (_, i) => server.mint(`distinct-${i}`)));
      const settled = await Promise.allSettled(codes.map((code) => server.client().auth.login.mutate({ code })));
      expect(settled.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const ids = settled.map((r) => (r as PromiseFulfilledResult<{ user: { id: string } }>).value.user.id);
      expect(new Set(ids).size).toBe(200);
      const placeholders = ids.map(() => '?').join(',');
      expect(query<{ n: number }>(server.databaseFile, `SELECT count(*) AS n FROM "User" WHERE id IN (${placeholders})`, ...ids)[0]!.n).toBe(200);
      expect(server.logs.join('\n')).not.toMatch(/SQLITE_BUSY|database is locked/);
    }));

  it('a WeChat that refuses connections gives BAD_GATEWAY and writes nothing', async () => {
    const offline = await startTestServer({ env: { WECHAT_API_BASE_URL: 'http://127.0.0.1:9' } });
    try {
      const error = await trpcError(offline.client().auth.login.mutate({ code: await offline.mint('x') }));
      expect(error.data).toMatchObject({ code: 'BAD_GATEWAY', reason: 'WECHAT_UNAVAILABLE' });
      const sqlite = new Sqlite(offline.databaseFile, { readonly: true });
      expect(sqlite.prepare('SELECT (SELECT count(*) FROM "User") + (SELECT count(*) FROM "Session")').pluck().get()).toBe(0);
      sqlite.close();
    } finally {
      await offline.close();
    }
  });
});

describe('authorization (property-based)', () => {
  it('no token ever reads another user’s orders, whatever the input or cursor', async () => {
    const users = await Promise.all(['ann', 'ben', 'cat', 'dan'].map((name) => server.login(`owner-${name}`)));
    const owner = new Map<string, string>();
    for (const [u, user] of users.entries()) {
      // Timestamps interleave across users, and some collide, to stress the keyset bounds.
      const orders = Array.from({ length: 40 }, (_, i) => ({
        title: `t${i}`,
        totalFen: i,
        status: orderStatuses[i % 5]!,
        createdAt: new Date(1_700_000_000_000 + Math.floor(i / 2) * 1000 + u),
      }));
      for (const order of await createOrders(server.db, user.user.id, orders)) owner.set(order.id, user.user.id);
    }

    // Real cursors from every user, so a user can be handed someone else's.
    const cursors: string[] = [];
    for (const user of users) {
      let cursor: string | null = null;
      do {
        const page: { nextCursor: string | null } = await server.client(user.token).order.list.query({ limit: 7, cursor });
        cursor = page.nextCursor;
        if (cursor) cursors.push(cursor);
      } while (cursor);
    }

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: users.length - 1 }),
        fc.oneof(fc.constantFrom(...cursors), fc.string({ maxLength: 80 }), fc.constant(null)),
        fc.option(fc.constantFrom('PENDING', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED'), { nil: undefined }),
        fc.integer({ min: 1, max: 50 }),
        async (u, cursor, status, limit) => {
          const me = users[u]!;
          try {
            const page = await server.client(me.token).order.list.query({ limit, cursor, status: status as never });
            for (const item of page.items) expect(owner.get(item.id)).toBe(me.user.id);
          } catch (error) {
            expect((error as { data?: { code?: string } }).data?.code).toBe('BAD_REQUEST');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('expired sessions', () => {
  it('are deleted by the periodic cleanup', async () => {
    const fast = await startTestServer({ env: { SESSION_CLEANUP_INTERVAL_SECONDS: '0.05' } });
    try {
      const { token } = await fast.login('sleepy');
      const { token: fresh } = await fast.login('awake');
      const count = () => {
        const sqlite = new Sqlite(fast.databaseFile, { readonly: true });
        const n = sqlite.prepare('SELECT count(*) FROM "Session"').pluck().get() as number;
        sqlite.close();
        return n;
      };
      expect(count()).toBe(2);
      fast.advance(20 * 24 * 3_600_000);
      await fast.client(fresh).auth.check.query(); // used in its second half: renewed
      fast.advance(11 * 24 * 3_600_000); // the other one is now 31 days old
      for (let i = 0; i < 100 && count() > 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(count()).toBe(1);
      await expect(fast.client(token).auth.check.query()).resolves.toEqual({ valid: false, expiresAt: null });
      await expect(fast.client(fresh).auth.check.query()).resolves.toMatchObject({ valid: true });
    } finally {
      await fast.close();
    }
  });
});

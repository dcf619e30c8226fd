// The hand-written hot reads against their Prisma twins, on the same data, on SQLite and on PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../Database.ts';
import type { DatabaseLocation } from '../databaseUrl.ts';
import { createOrders, createSession, createUser, orderStatuses } from '../factory.ts';
import type { OrderStatus } from '../generated/prisma/client.ts';
import { applyMigrations } from '../migrations.ts';
import { openDatabase } from '../openDatabase.ts';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl } from '../testing/postgresTestDatabase.ts';
import type { OrderListRow } from './listOrderPage.ts';
import { orderPageSql } from './listOrderPageSqlite.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-hot-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Opened = { location: DatabaseLocation; drop?: () => Promise<void> };
const databases: [string, () => Promise<Opened>][] = [['SQLite', async () => ({ location: { provider: 'sqlite', file: path.join(dir, 'hot.db') } })]];
if (testPostgresUrl) {
  databases.push([
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      return { location: { provider: 'postgresql', url: database.url }, drop: database.drop };
    },
  ]);
} else {
  console.warn(postgresSkipNotice);
}

const t0 = new Date('2026-11-01T08:00:00.123Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe.each(databases)('hot reads on %s equal their Prisma twins', (_name, open) => {
  let hand: Database;
  let twin: Database;
  let opened: Opened;
  const userIds: string[] = [];
  const sessionIds: string[] = [];

  beforeAll(async () => {
    opened = await open();
    await applyMigrations(opened.location);
    hand = await openDatabase(opened.location);
    twin = await openDatabase(opened.location, { hotQueries: 'prisma' });
    const { db } = hand;
    for (const [n, profile] of [{ nickName: '张三', avatarUrl: 'https://example.com/a.png' }, { nickName: null, avatarUrl: null }, {}].entries()) {
      const user = await createUser(db, { createdAt: at(n), ...profile });
      userIds.push(user.id);
      for (const offset of [0, 1_000, -5_000])
        sessionIds.push((await createSession(db, user.id, { createdAt: at(offset), lastUsedAt: at(offset + 7), expiresAt: at(offset + 60_000) })).id);
    }
    // 45 orders for user 0 with ties on createdAt (three per millisecond) and every status; 2 for user 1; none for user 2.
    await createOrders(
      db,
      userIds[0]!,
      Array.from({ length: 45 }, (_, i) => ({ title: `订单 ${i}`, totalFen: 1 + i * 37, status: orderStatuses[i % 5]!, createdAt: at(-Math.floor(i / 3)) })),
      { items: (i) => 1 + (i % 3) },
    );
    await createOrders(db, userIds[1]!, [{ createdAt: at(5) }, { createdAt: at(5), status: 'PAID' }]);
  });
  afterAll(async () => {
    await hand?.close();
    await twin?.close();
    await opened?.drop?.();
  });

  it('findSession: every session, its user, and unknown ids', async () => {
    for (const id of [...sessionIds, 'unknown', '', "x' OR 1=1 --"]) {
      const expected = await twin.hot.findSession(id);
      expect(await hand.hot.findSession(id)).toEqual(expected);
    }
    expect(await hand.hot.findSession(sessionIds[0]!)).toMatchObject({ user: { nickName: '张三' }, expiresAt: at(60_000) });
    expect((await hand.hot.findSession(sessionIds[0]!))!.secretHash).toBeInstanceOf(Uint8Array);
  });

  it('listOrderPage: every page of every user, with and without a status, at several page sizes', async () => {
    let pages = 0;
    for (const userId of [...userIds, 'nobody']) {
      for (const status of [undefined, ...orderStatuses] as (OrderStatus | undefined)[]) {
        for (const take of [1, 4, 7, 50]) {
          let after: OrderListRow | undefined;
          const seen: string[] = [];
          for (;;) {
            const query = { userId, take, after, status };
            const expected = await twin.hot.listOrderPage(query);
            expect(await hand.hot.listOrderPage(query), JSON.stringify(query)).toEqual(expected);
            pages++;
            seen.push(...expected.map((row) => row.id));
            if (expected.length < take) break;
            after = expected.at(-1);
          }
          expect(new Set(seen).size).toBe(seen.length);
        }
      }
    }
    expect(pages).toBeGreaterThan(100);
    const all = await hand.hot.listOrderPage({ userId: userIds[0]!, take: 100 });
    expect(all).toHaveLength(45);
    expect(Object.keys(all[0]!).sort()).toEqual(['createdAt', 'id', 'status', 'title', 'totalFen']);
  });
});

describe('SQLite: hot reads while Prisma holds a write transaction open', () => {
  it('are answered at once and see only committed rows', async () => {
    const location = { provider: 'sqlite' as const, file: path.join(dir, 'concurrent.db') };
    await applyMigrations(location);
    const database = await openDatabase(location);
    try {
      const user = await createUser(database.db);
      const session = await createSession(database.db, user.id);
      let committed = false;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const transaction = database.db
        .$transaction(
          async (tx) => {
            await tx.order.create({ data: { id: 'uncommitted', userId: user.id, title: 'x', totalFen: 1, status: 'PENDING', createdAt: new Date() } });
            await held;
          },
          { timeout: 10_000 },
        )
        .then(() => (committed = true));
      await new Promise((resolve) => setTimeout(resolve, 50)); // the transaction is open and has written

      const started = performance.now();
      expect(await database.hot.findSession(session.id)).toMatchObject({ id: session.id, userId: user.id });
      expect(await database.hot.listOrderPage({ userId: user.id, take: 10 })).toEqual([]);
      expect(performance.now() - started).toBeLessThan(1_000); // a blocked reader would wait for the 5 s busy timeout
      expect(committed).toBe(false);

      release();
      await transaction;
      expect((await database.hot.listOrderPage({ userId: user.id, take: 10 })).map((row) => row.id)).toEqual(['uncommitted']);
    } finally {
      await database.close();
    }
  });
});

describe('the SQLite order page statements', () => {
  it('each read one range of an index in its order: no second scan, no sort, however deep the page', async () => {
    const file = path.join(dir, 'plans.db');
    await applyMigrations({ provider: 'sqlite', file });
    const db = new Sqlite(file, { readonly: true });
    try {
      const plan = (sql: string) =>
        db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...Array.from({ length: sql.split('?').length - 1 }, () => 1))
          .map((step) => step.detail);
      expect(plan(orderPageSql.firstPage)).toEqual(['SEARCH Order USING INDEX Order_userId_createdAt_id_idx (userId=?)']);
      expect(plan(orderPageSql.nextPage)).toEqual(['SEARCH Order USING INDEX Order_userId_createdAt_id_idx (userId=? AND (createdAt,id)<(?,?))']);
      expect(plan(orderPageSql.firstPageByStatus)).toEqual(['SEARCH Order USING INDEX Order_userId_status_createdAt_id_idx (userId=? AND status=?)']);
      expect(plan(orderPageSql.nextPageByStatus)).toEqual(['SEARCH Order USING INDEX Order_userId_status_createdAt_id_idx (userId=? AND status=? AND (createdAt,id)<(?,?))']);
    } finally {
      db.close();
    }
  });
});

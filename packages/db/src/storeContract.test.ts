// The same behaviour from both stores: the raw-SQL one the server runs on SQLite, and the Prisma one.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrations.ts';
import { openPrismaSqliteStore } from './openPrismaSqliteStore.ts';
import { openPostgresStore } from './openPostgresStore.ts';
import { openSqliteStore } from './sqliteStore.ts';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl } from './testing/postgresTestDatabase.ts';
import type { LoginWrite, OrderRow, Store } from './Store.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-store-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const t0 = new Date('2026-11-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
let counter = 0;
const loginWrite = (openid: string, overrides: Partial<LoginWrite> = {}): LoginWrite => ({
  openid,
  unionid: null,
  sessionKey: randomBytes(16).toString('base64'),
  profile: {},
  newUserId: `user-${++counter}`,
  now: t0,
  session: { id: `session-${counter}`, secretHash: randomBytes(32), createdAt: t0, expiresAt: at(1_000_000) },
  ...overrides,
});

type Opened = { store: Store; cleanup?: () => Promise<void> };
const stores: [string, () => Promise<Opened>][] = [
  [
    'sqliteStore (raw SQL, SQLite)',
    async () => {
      const file = path.join(dir, 'raw.db');
      await applyMigrations(file);
      return { store: openSqliteStore(file) };
    },
  ],
  [
    'prismaStore (Prisma Client, SQLite)',
    async () => {
      const file = path.join(dir, 'prisma.db');
      await applyMigrations(file);
      return { store: await openPrismaSqliteStore(file) };
    },
  ],
];
if (testPostgresUrl) {
  stores.push([
    'postgresStore (Prisma Client, PostgreSQL)',
    async () => {
      const database = await createTestDatabase();
      await applyMigrations({ provider: 'postgresql', url: database.url });
      return { store: openPostgresStore(database.url), cleanup: database.drop };
    },
  ]);
} else {
  console.warn(postgresSkipNotice);
}

describe.each(stores)('%s', (_name, open) => {
  let store: Store;
  let opened: Opened;
  beforeAll(async () => {
    opened = await open();
    store = opened.store;
  });
  afterAll(async () => {
    await store.close();
    await opened.cleanup?.();
  });

  it('logs a new user in and finds the session with its user', async () => {
    const write = loginWrite('o-new', { profile: { nickName: 'Neo' } });
    const user = await store.login(write);
    expect(user).toEqual({ id: write.newUserId, nickName: 'Neo', avatarUrl: null });
    const session = await store.findSession(write.session.id);
    expect(session).toEqual({
      id: write.session.id,
      userId: user.id,
      secretHash: expect.anything(),
      expiresAt: write.session.expiresAt,
      lastUsedAt: t0,
      user,
    });
    expect(Buffer.from(session!.secretHash).equals(Buffer.from(write.session.secretHash))).toBe(true);
    expect(await store.findSession('missing')).toBeNull();
  });

  it('keeps one user per openid, updates what is given and keeps the rest', async () => {
    const first = await store.login(loginWrite('o-same', { profile: { nickName: 'A', avatarUrl: 'https://a' }, unionid: 'u-1' }));
    const second = await store.login(loginWrite('o-same', { profile: { nickName: 'B' } }));
    expect(second).toEqual({ id: first.id, nickName: 'B', avatarUrl: 'https://a' });
    expect(await store.countUsers()).toBe(2);
  });

  it('touches, renews, deletes and expires sessions', async () => {
    const write = loginWrite('o-sessions');
    await store.login(write);
    await store.touchSession(write.session.id, at(5_000));
    expect((await store.findSession(write.session.id))!.lastUsedAt).toEqual(at(5_000));
    await store.renewSession(write.session.id, at(9_000_000), at(6_000));
    expect(await store.findSession(write.session.id)).toMatchObject({ expiresAt: at(9_000_000), lastUsedAt: at(6_000) });
    const other = loginWrite('o-sessions');
    await store.login(other);
    await store.deleteSession(other.session.id);
    expect(await store.findSession(other.session.id)).toBeNull();
    const removed = await store.deleteExpiredSessions(at(1_000_000));
    expect(removed).toBeGreaterThanOrEqual(2); // the sessions of the tests above
    expect(await store.findSession(write.session.id)).not.toBeNull();
  });

  it('pages orders newest first by (createdAt, id), with and without a status', async () => {
    const statuses = ['PENDING', 'PAID', 'SHIPPED'] as const;
    const orders: OrderRow[] = Array.from({ length: 25 }, (_, i) => ({
      id: `order-${String(i).padStart(2, '0')}`,
      title: `t${i}`,
      totalFen: i * 100,
      status: statuses[i % 3]!,
      createdAt: at(Math.floor(i / 4) * 1000), // groups of equal timestamps
    }));
    await store.insertUserWithOrders({ id: 'pager', openid: 'o-pager', nickName: null, createdAt: t0 }, orders);
    const expected = [...orders].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    const walk = async (status?: OrderRow['status']) => {
      const seen: OrderRow[] = [];
      let after: { createdAt: Date; id: string } | undefined;
      for (;;) {
        const page = await store.listOrders({ userId: 'pager', take: 6, after, status });
        seen.push(...page);
        if (page.length < 6) return seen;
        after = page.at(-1)!;
      }
    };
    expect(await walk()).toEqual(expected);
    expect(await walk('PAID')).toEqual(expected.filter((o) => o.status === 'PAID'));
    expect(await store.listOrders({ userId: 'nobody', take: 5 })).toEqual([]);
  });

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

it('both stores read what the other wrote (same columns, same date format)', async () => {
  const file = path.join(dir, 'shared.db');
  await applyMigrations(file);
  const raw = openSqliteStore(file);
  const viaPrisma = await openPrismaSqliteStore(file);
  try {
    const write = loginWrite('o-shared', { profile: { nickName: '共享' } });
    await raw.login(write);
    expect(await viaPrisma.findSession(write.session.id)).toEqual(await raw.findSession(write.session.id));
    const order: OrderRow = { id: 'o1', title: '订单', totalFen: 12_345, status: 'COMPLETED', createdAt: at(123) };
    await viaPrisma.insertUserWithOrders({ id: 'shared-2', openid: 'o-shared-2', nickName: null, createdAt: t0 }, [order]);
    expect(await raw.listOrders({ userId: 'shared-2', take: 5 })).toEqual([order]);
  } finally {
    await raw.close();
    await viaPrisma.close();
  }
});

// order.detail over HTTP, on SQLite and (with TEST_POSTGRES_URL) on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { createOrders } from '@wxtrpc/db';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl, type TestDatabase } from '@wxtrpc/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, trpcError, type TestServer } from './testing/startTestServer.ts';

if (!testPostgresUrl) console.warn(postgresSkipNotice);
const databases = [['SQLite', false], ...(testPostgresUrl ? [['PostgreSQL', true] as const] : [])] as const;

describe.each(databases)('order.detail on %s', (_name, postgres) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  let owner: { token: string; userId: string };
  let other: { token: string; userId: string };
  let orderId: string;

  beforeAll(async () => {
    database = postgres ? await createTestDatabase() : undefined;
    server = await startTestServer(database ? { env: { DATABASE_URL: database.url } } : {});
    const [a, b] = [await server.login('detail-owner'), await server.login('detail-other')];
    owner = { token: a.token, userId: a.user.id };
    other = { token: b.token, userId: b.user.id };
    const [order] = await createOrders(server.db, owner.userId, [{ title: '早餐套装', totalFen: 3_599, status: 'PAID', createdAt: new Date('2026-11-20T01:02:03.456Z') }], {
      items: () => 3,
    });
    orderId = order!.id;
    await createOrders(server.db, other.userId, [{ totalFen: 1 }]);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("returns the owner's order with its list fields and items, whose amounts add up to totalFen", async () => {
    const detail = await server.client(owner.token).order.detail.query({ id: orderId });
    expect(detail).toMatchObject({ id: orderId, title: '早餐套装', totalFen: 3_599, status: 'PAID', createdAt: '2026-11-20T01:02:03.456Z' });
    expect(Object.keys(detail).sort()).toEqual(['createdAt', 'id', 'items', 'status', 'title', 'totalFen']);
    expect(detail.items).toHaveLength(3);
    for (const item of detail.items) {
      expect(Object.keys(item).sort()).toEqual(['id', 'quantity', 'title', 'unitPriceFen']);
      expect(Number.isInteger(item.unitPriceFen) && Number.isInteger(item.quantity)).toBe(true);
    }
    expect(detail.items.reduce((sum, item) => sum + item.unitPriceFen * item.quantity, 0)).toBe(detail.totalFen);
  });

  it('matches what order.list shows for the same order', async () => {
    const { items } = await server.client(owner.token).order.list.query({ limit: 50 });
    const { items: _items, ...fields } = await server.client(owner.token).order.detail.query({ id: orderId });
    expect(items.find((order) => order.id === orderId)).toEqual(fields);
  });

  it("answers another user's order exactly as an unknown id: NOT_FOUND, ORDER_NOT_FOUND, same message", async () => {
    const foreign = await trpcError(server.client(other.token).order.detail.query({ id: orderId }));
    const unknown = await trpcError(server.client(other.token).order.detail.query({ id: randomUUID() }));
    expect(foreign.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, reason: 'ORDER_NOT_FOUND' });
    expect({ message: foreign.message, data: foreign.data }).toEqual({ message: unknown.message, data: unknown.data });
  });

  it('refuses anything but a UUID with BAD_REQUEST', async () => {
    const client = server.client(owner.token);
    for (const input of [{ id: 'not-a-uuid' }, { id: `${orderId}x` }, { id: '' }, { id: 42 }, {}, undefined, { id: `'; DROP TABLE "Order"; --` }]) {
      const error = await trpcError(client.order.detail.query(input as never));
      expect(error.data?.code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
  });

  it('requires a session', async () => {
    for (const token of [null, 'unknown.token']) {
      const error = await trpcError(server.client(token).order.detail.query({ id: orderId }));
      expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SESSION_INVALID' });
    }
  });
});

import type { OrderOnWire } from '@wxtrpc/api';
import { createOrders, orderStatuses } from '@wxtrpc/db';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, trpcError, type TestServer } from './testing/startTestServer.ts';

type Status = OrderOnWire['status'];
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Writes orders straight into the database, as another part of the business would. */
async function insertOrders(userId: string, count: number, options: { start?: number; stepMs?: number; ties?: number } = {}): Promise<OrderOnWire[]> {
  const start = options.start ?? Date.now();
  const step = options.stepMs ?? 60_000;
  const ties = options.ties ?? 1; // orders sharing each createdAt
  const orders = await createOrders(
    server.db,
    userId,
    Array.from({ length: count }, (_, i) => ({
      title: `order ${i}`,
      totalFen: 1 + i * 101,
      status: orderStatuses[i % orderStatuses.length]!,
      createdAt: new Date(start - Math.floor(i / ties) * step),
    })),
  );
  return orders.map(({ id, title, totalFen, status, createdAt }) => ({ id, title, totalFen, status, createdAt: createdAt.toISOString() }));
}

const newestFirst = (orders: OrderOnWire[]) => [...orders].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));

async function walk(token: string, input: { limit: number; status?: Status }, between?: (page: number) => Promise<unknown>) {
  const client = server.client(token);
  const seen: OrderOnWire[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const result: Awaited<ReturnType<typeof client.order.list.query>> = await client.order.list.query({ ...input, cursor });
    expect(result.items.length).toBeLessThanOrEqual(input.limit);
    seen.push(...result.items);
    if (result.nextCursor === null) return seen;
    cursor = result.nextCursor;
    await between?.(page);
  }
  throw new Error('paging did not end');
}

describe('order.list', () => {
  let alice: { token: string; userId: string; orders: OrderOnWire[] };
  let bob: { token: string; userId: string; orders: OrderOnWire[] };

  beforeAll(async () => {
    const a = await server.login('alice');
    const b = await server.login('bob');
    // 53 orders, three per timestamp, so pages break inside groups of equal createdAt.
    alice = { token: a.token, userId: a.user.id, orders: await insertOrders(a.user.id, 53, { ties: 3 }) };
    bob = { token: b.token, userId: b.user.id, orders: await insertOrders(b.user.id, 12) };
  });

  it('returns the first page newest first, with exactly the public fields', async () => {
    const page = await server.client(alice.token).order.list.query();
    expect(page.items).toEqual(newestFirst(alice.orders).slice(0, 10));
    expect(Object.keys(page.items[0]!).sort()).toEqual(['createdAt', 'id', 'status', 'title', 'totalFen']);
    expect(Number.isInteger(page.items[0]!.totalFen)).toBe(true);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('walks every page to the end with no duplicate and no gap, across equal timestamps', async () => {
    for (const limit of [1, 7, 10, 50]) {
      const seen = await walk(alice.token, { limit });
      expect(seen.map((o) => o.id)).toEqual(newestFirst(alice.orders).map((o) => o.id));
    }
  });

  it('keeps its place when new orders arrive between pages', async () => {
    const carol = await server.login('carol');
    const original = await insertOrders(carol.user.id, 30, { start: Date.now() - 3_600_000 });
    const seen = await walk(carol.token, { limit: 8 }, () => insertOrders(carol.user.id, 2));
    expect(seen.map((o) => o.id)).toEqual(newestFirst(original).map((o) => o.id));
  });

  it('filters by status, paging within the filter', async () => {
    const seen = await walk(alice.token, { limit: 4, status: 'PAID' });
    expect(seen.length).toBeGreaterThan(4);
    expect(seen.map((o) => o.id)).toEqual(newestFirst(alice.orders.filter((o) => o.status === 'PAID')).map((o) => o.id));
  });

  it('answers an empty list for a user without orders', async () => {
    const { token } = await server.login('dave');
    await expect(server.client(token).order.list.query({ limit: 5 })).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('only ever shows the caller their own orders', async () => {
    const seen = await walk(bob.token, { limit: 50 });
    expect(seen.map((o) => o.id).sort()).toEqual(bob.orders.map((o) => o.id).sort());
  });

  it('enforces limit bounds (1..50) and the status values', async () => {
    const client = server.client(alice.token);
    await expect(client.order.list.query({ limit: 1 })).resolves.toMatchObject({ items: [expect.anything()] });
    expect((await client.order.list.query({ limit: 50 })).items).toHaveLength(50);
    for (const input of [{ limit: 0 }, { limit: 51 }, { limit: 2.5 }, { limit: -1 }, { limit: '5' }, { status: 'LOST' }, { cursor: 42 }]) {
      const error = await trpcError(client.order.list.query(input as never));
      expect(error.data?.code, JSON.stringify(input)).toBe('BAD_REQUEST');
    }
  });

  it('refuses a malformed, edited or oversized cursor with BAD_REQUEST', async () => {
    const client = server.client(alice.token);
    const { nextCursor } = await client.order.list.query({ limit: 3 });
    const decoded = Buffer.from(nextCursor!, 'base64url').toString();
    const edited = Buffer.from(decoded.replace(/^\d/, (d) => String((Number(d) + 1) % 10))).toString('base64url');
    for (const cursor of ['garbage', edited, `${nextCursor}x`, 'a'.repeat(300), '\u0000']) {
      const error = await trpcError(client.order.list.query({ cursor }));
      expect(error.data?.code).toBe('BAD_REQUEST');
    }
  });

  it("refuses another user's cursor instead of paging with it", async () => {
    const { nextCursor } = await server.client(alice.token).order.list.query({ limit: 3 });
    const error = await trpcError(server.client(bob.token).order.list.query({ cursor: nextCursor }));
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'CURSOR_INVALID' });
  });

  it('requires a valid session: none, unknown and expired all get 401', async () => {
    for (const token of [null, 'unknown.token']) {
      const error = await trpcError(server.client(token).order.list.query());
      expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    }
    const { token } = await server.login('erin');
    // Back even if this fails: the other tests' sessions would expire with the clock left a month ahead.
    onTestFinished(() => server.advance(-31 * 24 * 3_600_000));
    server.advance(31 * 24 * 3_600_000);
    const error = await trpcError(server.client(token).order.list.query());
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SESSION_INVALID' });
  });

  it('answers a plain GET without input (defaults) like any HTTP client would send it', async () => {
    const response = await fetch(`${server.url}/trpc/order.list`, { headers: { authorization: `Bearer ${alice.token}` } });
    const body = (await response.json()) as { result: { data: { items: unknown[] } } };
    expect(body.result.data.items).toHaveLength(10);
  });
});

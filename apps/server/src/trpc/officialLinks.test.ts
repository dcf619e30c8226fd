// tRPC's own client over each of its HTTP links, against the server as `npm start` runs it (the built
// bundle) and in-process: login, queries alone and batched, typed errors, and order paging by cursor.
import { createTRPCClient, httpBatchLink, httpBatchStreamLink, httpLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { createOrders } from '@wxtrpc/db';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from '../testing/spawnServer.ts';
import { startTestServer, type TestServer } from '../testing/startTestServer.ts';

type LinkFactory = (opts: { url: string; headers: () => Record<string, string> }) => TRPCLink<AppRouter>;
const links: [string, LinkFactory][] = [
  ['httpLink', (opts) => httpLink(opts)],
  ['httpBatchLink', (opts) => httpBatchLink(opts)],
  ['httpBatchStreamLink', (opts) => httpBatchStreamLink(opts)],
];

const clientFor = (link: LinkFactory, url: string, token?: string) =>
  createTRPCClient<AppRouter>({ links: [link({ url: `${url}/trpc`, headers: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}) })] });

const errorOf = async (call: Promise<unknown>) => {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error(`expected a TRPCClientError, got ${String(error)}`);
  return error as TRPCClientError<AppRouter>;
};

describe('against the in-process server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  describe.each(links)('%s', (name, link) => {
    it('logs in, checks the session, and answers queries alone and batched', async () => {
      const login = await clientFor(link, server.url).auth.login.mutate({ code: await server.mint(`links-${name}`) });
      expect(login.token).toMatch(/^[\w-]{20}\.[\w-]{43}$/);
      const client = clientFor(link, server.url, login.token);
      expect(await client.auth.check.query()).toEqual({ valid: true, expiresAt: login.expiresAt });
      const [check, page, again] = await Promise.all([client.auth.check.query(), client.order.list.query({ limit: 3 }), client.auth.check.query()]);
      expect(check.valid && again.valid).toBe(true);
      expect(page).toEqual({ items: [], nextCursor: null });
    });

    it('pages orders by cursor and reads a detail', async () => {
      const login = await server.login(`links-pages-${name}`);
      const orders = await createOrders(
        server.db,
        login.user.id,
        Array.from({ length: 7 }, (_, i) => ({ createdAt: new Date(Date.UTC(2026, 10, 1, 0, i)) })),
      );
      const client = clientFor(link, server.url, login.token);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof client.order.list.query>> = await client.order.list.query({ limit: 3, cursor });
        seen.push(...page.items.map((order) => order.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...orders].reverse().map((order) => order.id));
      const details = await Promise.all(orders.slice(0, 2).map((order) => client.order.detail.query({ id: order.id })));
      expect(details.map((detail) => detail.id)).toEqual(orders.slice(0, 2).map((order) => order.id));
    });

    it('surfaces typed errors with their reason, alone and inside a batch', async () => {
      const login = await server.login(`links-errors-${name}`);
      const client = clientFor(link, server.url, login.token);
      const notFound = await errorOf(client.order.detail.query({ id: randomUUID() }));
      expect(notFound.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, reason: 'ORDER_NOT_FOUND' });
      const [ok, bad] = await Promise.allSettled([client.auth.check.query(), client.order.list.query({ limit: 0 })]);
      expect(ok).toMatchObject({ status: 'fulfilled', value: { valid: true } });
      expect(bad.status === 'rejected' && (bad.reason as TRPCClientError<AppRouter>).data?.code).toBe('BAD_REQUEST');
      const unauthorized = await errorOf(clientFor(link, server.url).order.list.query({}));
      expect(unauthorized.data).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SESSION_INVALID' });
      const wechat = await errorOf(clientFor(link, server.url).auth.login.mutate({ code: 'never-issued' }));
      expect(wechat.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'WECHAT_CODE_INVALID' });
    });
  });
});

describe('against `npm start` (the built server, emulator mode)', () => {
  let started: SpawnedServer;
  beforeAll(async () => {
    started = await spawnServer({ DATABASE_URL: `file:${process.env.TMPDIR ?? '/tmp'}/wxtrpc-links-${randomUUID()}.db` });
    await started.waitUntilReady();
  });
  afterAll(async () => {
    started?.child.kill('SIGTERM');
    await started?.exited;
  });

  it.each(links)('%s logs the demo user in and pages its seeded orders', async (_name, link) => {
    const { code } = (await (
      await fetch(`${started.emulatorUrl}/emulator/wx-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"demo"}' })
    ).json()) as {
      code: string;
    };
    const { token } = await clientFor(link, started.url).auth.login.mutate({ code });
    const client = clientFor(link, started.url, token);
    const [check, first] = await Promise.all([client.auth.check.query(), client.order.list.query({ limit: 10 })]);
    expect(check.valid).toBe(true);
    expect(first.items).toHaveLength(10);
    const second = await client.order.list.query({ limit: 10, cursor: first.nextCursor });
    expect(second.items[0]!.createdAt < first.items[9]!.createdAt).toBe(true);
    const detail = await client.order.detail.query({ id: first.items[0]!.id });
    expect(detail.items.reduce((sum, item) => sum + item.unitPriceFen * item.quantity, 0)).toBe(detail.totalFen);
  });
});

// Scenarios driven from Node rather than an HTTP load generator: logins (each needs a fresh code from the
// WeChat emulator) and the mini-program link, batched against unbatched.
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { createPlatformFetch, createWxClient, fromWx } from '@wxtrpc/wx-link';
import { createFakeWx } from '@wxtrpc/wx-link/testing';

async function runFor(seconds: number, workers: number, work: (worker: number, i: number) => Promise<number>): Promise<{ count: number; errors: number }> {
  const deadline = Date.now() + seconds * 1000;
  let count = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; Date.now() < deadline; i++) {
        try {
          const done = await work(worker, i); // (not `count += await …`: that reads count before awaiting)
          count += done;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { count, errors };
}

/**
 * auth.login through the real WeChat client against the emulator: mint a code, log in, repeat. A warm-up
 * first, as every load scenario has: a fresh login path (JIT, Prisma's query plans) runs about twice as
 * slow for its first few hundred logins.
 */
export async function measureLogins(serverUrl: string, emulatorUrl: string, seconds: number, workers = 16) {
  const run = `${Date.now()}`;
  const login = async (worker: number, i: number) => {
    const minted = await fetch(`${emulatorUrl}/emulator/wx-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: `bench-${run}-${worker}-${i % 500}` }),
    });
    const { code } = (await minted.json()) as { code: string };
    const response = await fetch(`${serverUrl}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return 1;
  };
  await runFor(Math.max(1, Math.round(seconds / 4)), workers, login);
  const { count, errors } = await runFor(seconds, workers, login);
  return { loginsPerSecond: count / seconds, errors };
}

/**
 * The mini-program's own client (wx-link over a wx.request stand-in doing real HTTP): `users` clients each
 * make 10 calls at a time, through httpBatchLink (one HTTP request per 10 calls) or one request per call.
 */
export async function measureLinkBatching(serverUrl: string, emulatorUrl: string, token: string, seconds: number, users = 10) {
  const session = { token, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), user: { id: 'x', nickName: null, avatarUrl: null } };
  const tenCalls = (client: ReturnType<typeof createWxClient>['client']) =>
    Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? client.auth.check.query() : client.order.list.query({ limit: 10 }))));

  const batchedClients = Array.from({ length: users }, () => {
    const wx = createFakeWx({ emulatorUrl });
    wx.setStorageSync('session', session);
    return { wx, client: createWxClient({ url: `${serverUrl}/trpc`, wx }).client };
  });
  const batched = await runFor(seconds, users, async (user) => (await tenCalls(batchedClients[user]!.client)).length);

  const unbatchedClients = Array.from({ length: users }, () => {
    const wx = createFakeWx({ emulatorUrl });
    const fetch = createPlatformFetch(fromWx(wx));
    return {
      wx,
      client: createTRPCClient<AppRouter>({ links: [httpLink({ url: `${serverUrl}/trpc`, fetch, headers: { authorization: `Bearer ${token}` } })] }),
    };
  });
  const unbatched = await runFor(seconds, users, async (user) => (await tenCalls(unbatchedClients[user]!.client as never)).length);

  const requests = (clients: { wx: { stats: { requests: number } } }[]) => clients.reduce((sum, c) => sum + c.wx.stats.requests, 0);
  return {
    batched: { callsPerSecond: batched.count / seconds, requests: requests(batchedClients), errors: batched.errors },
    unbatched: { callsPerSecond: unbatched.count / seconds, requests: requests(unbatchedClients), errors: unbatched.errors },
  };
}

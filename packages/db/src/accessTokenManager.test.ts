// The WeChat access_token manager (@wxtrpc/wechat) over this package's store, against the emulator over
// HTTP, with two instances on one database.
import { setTimeout as sleep } from 'node:timers/promises';
import { WechatError } from '@wxtrpc/wechat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenStore } from './createAccessTokenStore.ts';
import { databaseKinds, everythingIn, rejection, startWechatWorld, t0, type TwoInstances, type WechatWorld } from './testing/wechatTestBed.ts';

const minute = 60_000;

/** An API call as `call` makes it: msg_sec_check with the token, its errcode thrown as WeChat's. */
const apiCall =
  (world: WechatWorld, calls: string[] = []) =>
  async (token: string) => {
    calls.push(token);
    const answer = await world.post(`/wxa/msg_sec_check?access_token=${token}`, { content: 'hi', version: 2, scene: 1, openid: 'o' });
    if (answer.errcode !== 0) throw new WechatError('WECHAT_ERROR', `errcode ${answer.errcode}`, Number(answer.errcode));
    return token;
  };

describe.each(databaseKinds)('the access_token on %s', (_kind, open) => {
  let instances: TwoInstances;
  beforeAll(async () => {
    instances = await open();
  });
  afterAll(() => instances?.close());

  describe('fetching and caching', () => {
    it('fetches once on first use, then every caller of every instance reads the cached row', async () => {
      const world = await startWechatWorld(instances);
      const [a, b] = [world.manager(0), world.manager(1)];
      const token = await a.get();
      expect((await world.issued()).accessTokens).toEqual([token]);
      expect(await a.get()).toBe(token);
      expect(await b.get()).toBe(token);
      expect(await world.stats()).toMatchObject({ stableTokenRequests: 1, forceRefreshRequests: 0 });
      expect(await world.row()).toMatchObject({ accessToken: token, expiresAt: new Date(t0 + 7_200_000), lastFetchedAt: new Date(t0), leaseHolder: null, leaseExpiresAt: null });
    });

    it('refetches when less than 5 minutes are left, keeping a token WeChat hands back unchanged until it expires (one fetch a minute at most)', async () => {
      const world = await startWechatWorld(instances);
      const [a, b] = [world.manager(0), world.manager(1)];
      const first = await a.get();
      world.clock.now += 7_200_000 - 5 * minute - 1_000; // 5 min 1 s left
      expect(await b.get()).toBe(first);
      expect((await world.stats()).stableTokenRequests).toBe(1);
      world.clock.now += 2_000; // 4 min 59 s left
      expect(await b.get()).toBe(first);
      expect((await world.stats()).stableTokenRequests).toBe(2);
      expect(await world.row()).toMatchObject({ expiresAt: new Date(t0 + 7_200_000), lastFetchedAt: new Date(world.clock.now) });
      world.clock.now += minute - 1;
      await Promise.all([a.get(), b.get(), a.get()]);
      expect((await world.stats()).stableTokenRequests).toBe(2);
      world.clock.now += 1;
      expect(await a.get()).toBe(first);
      expect((await world.stats()).stableTokenRequests).toBe(3);
      world.clock.now = t0 + 7_200_000; // expired: a new one
      const next = await b.get();
      expect(next).not.toBe(first);
      expect(await a.get()).toBe(next);
      expect((await world.stats()).stableTokenRequests).toBe(4);
    });

    it('picks up a new token WeChat hands out when refreshing ahead of expiry', async () => {
      const world = await startWechatWorld(instances);
      const manager = world.manager(0);
      const first = await manager.get();
      world.clock.now += 10 * minute;
      const elsewhere = await world.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: world.appid, secret: world.secret, force_refresh: true });
      expect(await manager.get()).toBe(first); // cached
      world.clock.now = t0 + 7_200_000 - 4 * minute;
      expect(await manager.get()).toBe(elsewhere.access_token);
      expect(await world.row()).toMatchObject({ accessToken: elsewhere.access_token, expiresAt: new Date(t0 + 10 * minute + 7_200_000) });
    });

    it('keeps using the current token when a refresh ahead of expiry fails', async () => {
      const world = await startWechatWorld(instances);
      const manager = world.manager(0);
      const first = await manager.get();
      world.clock.now += 7_200_000 - minute;
      await world.inject('stable_token', { kind: 'http500', count: 1 });
      expect(await manager.get()).toBe(first);
      expect(await world.row()).toMatchObject({ leaseHolder: null, lastFetchedAt: new Date(t0) });
      expect(await manager.get()).toBe(first); // tried again: WeChat hands back the same token
      expect((await world.stats()).stableTokenRequests).toBe(3);
    });
  });

  describe('one fetch at a time across instances', () => {
    it('makes exactly one stable_token call for 50 concurrent first callers on two instances', async () => {
      const world = await startWechatWorld(instances);
      const [a, b] = [world.manager(0), world.manager(1)];
      await world.inject('stable_token', { kind: 'latency', latencyMs: 150, count: 1 });
      const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).get()));
      expect(new Set(tokens)).toEqual(new Set([tokens[0]]));
      expect((await world.stats()).stableTokenRequests).toBe(1);
      expect(await world.row()).toMatchObject({ accessToken: tokens[0], leaseHolder: null });
    });

    it('reads the row again once it has the lease: no second fetch for an instance that found no token just before another stored one', async () => {
      const world = await startWechatWorld(instances);
      const store = createAccessTokenStore(instances.databases[1].db);
      let reached!: () => void;
      let open!: () => void;
      const atLease = new Promise<void>((resolve) => (reached = resolve));
      const gate = new Promise<void>((resolve) => (open = resolve));
      const b = world.manager(1, {
        store: {
          ...store,
          async acquireLease(...args) {
            reached();
            await gate;
            return store.acquireLease(...args);
          },
        },
      });
      const fromB = b.get();
      await atLease; // B has read the row: no token yet
      const fromA = await world.manager(0).get();
      open();
      expect(await fromB).toBe(fromA);
      expect((await world.stats()).stableTokenRequests).toBe(1);
      expect(await world.row()).toMatchObject({ leaseHolder: null });
    });

    it('takes over the lease of a holder that died once it expires', async () => {
      const world = await startWechatWorld(instances);
      await instances.databases[1].db.wechatAccessToken.create({ data: { appid: world.appid, leaseHolder: 'dead-instance', leaseExpiresAt: new Date(t0 + 10_000) } });
      const manager = world.manager(0);
      let settled = false;
      const token = manager.get().finally(() => (settled = true));
      await sleep(400);
      expect(settled).toBe(false); // polling the row, not fetching
      expect((await world.stats()).stableTokenRequests).toBe(0);
      world.clock.now += 10_001;
      expect(await token).toEqual(expect.any(String));
      expect((await world.stats()).stableTokenRequests).toBe(1);
      expect(await world.row()).toMatchObject({ accessToken: await token, leaseHolder: null });
    });

    it('gives up waiting for a holder after its lease time, with WECHAT_UNAVAILABLE', async () => {
      const world = await startWechatWorld(instances);
      await instances.databases[1].db.wechatAccessToken.create({ data: { appid: world.appid, leaseHolder: 'stuck-instance', leaseExpiresAt: new Date(t0 + 3_600_000) } });
      const started = performance.now();
      // Lease time with timeoutMs 100, no busy retries: 2 × (100 + 5) + 5000 ms.
      const error = await rejection(world.manager(0, { timeoutMs: 100, busyRetries: 0 }).get());
      expect(error).toMatchObject({ reason: 'WECHAT_UNAVAILABLE' });
      expect(performance.now() - started).toBeGreaterThan(5_000);
      expect((await world.stats()).stableTokenRequests).toBe(0);
    });
  });

  describe('call(fn) when WeChat rejects the token', () => {
    it.each([
      ['together', false],
      ['one after the other has already refetched', true],
    ])('fetches once in all when both instances see 40001 at once and report it %s (compare-and-expire), retrying fn once', async (_order, bLate) => {
      const world = await startWechatWorld(instances);
      const [a, b] = [world.manager(0), world.manager(1)];
      const first = await a.get();
      expect(await b.get()).toBe(first);
      await world.post('/emulator/access-token/revoke');
      await world.inject('stable_token', { kind: 'latency', latencyMs: 100, count: 1 });
      // Both instances' first tries have their 40001 before either goes on; B may hold on to it until A is done.
      let arrived = 0;
      let release!: () => void;
      const bothSawIt = new Promise<void>((resolve) => (release = resolve));
      let aDone: Promise<unknown> = Promise.resolve();
      const fn = (calls: string[], late: boolean) => async (token: string) => {
        const result = apiCall(world, calls)(token);
        if (calls.length === 1) {
          await result.catch(() => {});
          if (++arrived === 2) release();
          await bothSawIt;
          if (late) await aDone.catch(() => {});
        }
        return result;
      };
      const callsA: string[] = [];
      const callsB: string[] = [];
      const callA = a.call(fn(callsA, false));
      aDone = callA;
      const [resultA, resultB] = await Promise.all([callA, b.call(fn(callsB, bLate))]);
      expect(resultA).toBe(resultB);
      expect(resultA).not.toBe(first);
      expect([callsA, callsB]).toEqual([
        [first, resultA],
        [first, resultA],
      ]);
      expect(await world.stats()).toMatchObject({ stableTokenRequests: 2, forceRefreshRequests: 0, textCheckRequests: 4 });
      expect(await world.row()).toMatchObject({ accessToken: resultA, expiresAt: new Date(t0 + 7_200_000) });
    });

    it('retries fn once and never loops when the fresh token fails too', async () => {
      const world = await startWechatWorld(instances);
      const manager = world.manager(0);
      const tokens: string[] = [];
      const error = await rejection(
        manager.call(async (token) => {
          tokens.push(token);
          throw new WechatError('WECHAT_ERROR', 'rejected', 42001);
        }),
      );
      expect(error).toMatchObject({ name: 'WechatError', reason: 'WECHAT_UNAVAILABLE', errcode: 42001 });
      expect(tokens).toHaveLength(2);
      // The normal fetch handed back the token that failed, so the second came from a force refresh.
      expect(tokens[1]).not.toBe(tokens[0]);
      expect(await world.stats()).toMatchObject({ stableTokenRequests: 3, forceRefreshRequests: 1 });
      expect(everythingIn(error)).not.toMatch(new RegExp(`${tokens[0]}|${tokens[1]}|${world.secret}`));
    });

    it('passes on errors other than 40001 / 40014 / 42001 without fetching', async () => {
      const world = await startWechatWorld(instances);
      const manager = world.manager(0);
      let calls = 0;
      const error = await rejection(
        manager.call(async () => {
          calls++;
          throw new WechatError('WECHAT_PHONE_CODE_INVALID', 'invalid code', 40029);
        }),
      );
      expect([error.message, calls]).toEqual(['invalid code', 1]);
      expect((await world.stats()).stableTokenRequests).toBe(1);
    });

    it('force-refreshes only when a normal fetch hands back exactly the token that failed', async () => {
      const world = await startWechatWorld(instances);
      const manager = world.manager(1);
      const first = await manager.get();
      await world.post('/emulator/access-token/revoke', { stillIssued: true });
      const calls: string[] = [];
      const fresh = await manager.call(apiCall(world, calls));
      expect(calls).toEqual([first, fresh]);
      expect(fresh).not.toBe(first);
      expect(await world.stats()).toMatchObject({ stableTokenRequests: 3, forceRefreshRequests: 1 });
      expect(await world.row()).toMatchObject({ accessToken: fresh, forceRefreshDay: '2026-12-01', forceRefreshCount: 1, lastForceRefreshAt: new Date(t0) });
    });

    it('force-refreshes at most 20 times a Beijing day and 30 s apart, counted in the database for every instance', async () => {
      const world = await startWechatWorld(instances);
      const managers = [world.manager(0), world.manager(1)];
      const staleCall = async (manager: (typeof managers)[number]) => {
        await world.post('/emulator/access-token/revoke', { stillIssued: true });
        return manager.call(apiCall(world));
      };
      await managers[0]!.get();
      await staleCall(managers[0]!);
      world.clock.now += 29_000;
      const tooSoon = await rejection(staleCall(managers[1]!));
      expect(tooSoon).toMatchObject({ reason: 'WECHAT_UNAVAILABLE', message: expect.stringMatching(/force refresh/) });
      expect((await world.stats()).forceRefreshRequests).toBe(1);
      for (let i = 2; i <= 20; i++) {
        world.clock.now += 30_000;
        await staleCall(managers[i % 2]!);
      }
      expect((await world.stats()).forceRefreshRequests).toBe(20);
      world.clock.now += 30_000;
      expect(await rejection(staleCall(managers[0]!))).toMatchObject({ reason: 'WECHAT_UNAVAILABLE' });
      expect(await world.stats()).toMatchObject({ forceRefreshRequests: 20 }); // WeChat was never asked a 21st time
      expect(await world.row()).toMatchObject({ forceRefreshDay: '2026-12-01', forceRefreshCount: 20 });
      world.clock.now = Date.parse('2026-12-01T16:00:00Z'); // midnight in Beijing: a new day
      await managers[1]!.get(); // the last token expired meanwhile
      await staleCall(managers[1]!);
      expect(await world.stats()).toMatchObject({ forceRefreshRequests: 21 });
      expect(await world.row()).toMatchObject({ forceRefreshDay: '2026-12-02', forceRefreshCount: 1 });
    });
  });

  describe('WeChat refusing the fetch', () => {
    it.each([
      ['a wrong appid', { appid: 'wx0000000000000000' }, 40013, /WECHAT_APPID/],
      ['a wrong secret', { secret: 'f'.repeat(32) }, 40125, /WECHAT_SECRET/],
    ])('reports %s as WECHAT_CONFIG_REJECTED, releasing the lease', async (_name, credentials, errcode, message) => {
      const world = await startWechatWorld(instances);
      const manager = world.manager(0, credentials);
      const error = await rejection(manager.get());
      expect(error).toMatchObject({ reason: 'WECHAT_CONFIG_REJECTED', errcode, message: expect.stringMatching(message) });
      expect(everythingIn(error)).not.toContain(world.secret);
      expect(everythingIn(error)).not.toContain('f'.repeat(32));
      await rejection(manager.get()); // not stuck behind its own lease
      expect((await world.stats()).stableTokenRequests).toBe(2);
    });

    it('reports an IP off the whitelist (40164) saying what to change', async () => {
      const world = await startWechatWorld(instances);
      await world.post('/emulator/ip-whitelist', { whitelisted: false });
      const error = await rejection(world.manager(1).get());
      expect(error).toMatchObject({ reason: 'WECHAT_CONFIG_REJECTED', errcode: 40164 });
      expect(error.message).toMatch(/egress IP must be on the mini-program's IP whitelist.*127\.0\.0\.1/);
      expect(everythingIn(error)).not.toContain(world.secret);
    });

    it('retries errcode -1 with backoff, then gives up with WECHAT_UNAVAILABLE', async () => {
      const world = await startWechatWorld(instances);
      await world.inject('stable_token', { kind: 'busy', count: 2 });
      expect(await world.manager(0).get()).toEqual(expect.any(String));
      expect((await world.stats()).stableTokenRequests).toBe(3);

      const other = await startWechatWorld(instances);
      await other.inject('stable_token', { kind: 'busy' });
      expect(await rejection(other.manager(1).get())).toMatchObject({ reason: 'WECHAT_UNAVAILABLE', errcode: -1 });
      expect((await other.stats()).stableTokenRequests).toBe(3);
    });

    it('times out a stable_token that does not answer, with WECHAT_TIMEOUT', async () => {
      const world = await startWechatWorld(instances);
      await world.inject('stable_token', { kind: 'hang', count: 1 });
      const error = await rejection(world.manager(0, { timeoutMs: 300 }).get());
      expect(error).toMatchObject({ reason: 'WECHAT_TIMEOUT' });
      expect(await world.row()).toMatchObject({ accessToken: null, leaseHolder: null });
    });
  });
});

// The store's compare-and-set operations on their own, on two connections to one database.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenStore } from './createAccessTokenStore.ts';
import type { Db } from './Database.ts';
import { databaseKinds, t0, type TwoInstances } from './testing/wechatTestBed.ts';

const at = (ms: number) => new Date(t0 + ms);
const limits = { maxPerDay: 2, minGapMs: 30_000 };

describe.each(databaseKinds)('createAccessTokenStore on %s', (_kind, open) => {
  let instances: TwoInstances;
  const stores = () => instances.databases.map(({ db }) => createAccessTokenStore(db));
  const newAppid = () => `wx${randomBytes(8).toString('hex')}`;
  beforeAll(async () => {
    instances = await open();
  });
  afterAll(() => instances?.close());

  it('gives the lease to exactly one of many instances racing on a missing row, and to nobody else until it expires or is released', async () => {
    const appid = newAppid();
    const [a, b] = stores();
    const won = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a! : b!).acquireLease(appid, `holder-${i}`, at(0), at(10_000))));
    expect(won.filter(Boolean)).toHaveLength(1);
    const holder = `holder-${won.indexOf(true)}`;
    expect(await a!.acquireLease(appid, 'late', at(10_000), at(20_000))).toBe(false); // not before it has expired
    expect(await b!.acquireLease(appid, 'late', at(10_001), at(20_000))).toBe(true);
    await a!.releaseLease(appid, holder); // no longer the holder: nothing happens
    expect(await a!.acquireLease(appid, 'later', at(10_002), at(20_000))).toBe(false);
    await a!.releaseLease(appid, 'late');
    expect(await a!.acquireLease(appid, 'later', at(10_003), at(20_000))).toBe(true);
  });

  it('reports the lease as taken when its create loses the race to another instance (unique violation)', async () => {
    const appid = newAppid();
    const [a] = stores();
    const { db } = instances.databases[1];
    // This instance's check for the row comes too late: it has just been created by the other one.
    const rows = db.wechatAccessToken;
    const late = {
      wechatAccessToken: {
        updateMany: async () => ({ count: 0 }),
        findUnique: async () => null,
        create: (args: Parameters<typeof rows.create>[0]) => rows.create(args),
      },
    } as unknown as Db;
    expect(await a!.acquireLease(appid, 'first', at(0), at(10_000))).toBe(true);
    expect(await createAccessTokenStore(late).acquireLease(appid, 'second', at(0), at(10_000))).toBe(false);
    expect(await rows.findUnique({ where: { appid } })).toMatchObject({ leaseHolder: 'first' });
  });

  it('saves a token only for the lease holder, releasing the lease', async () => {
    const appid = newAppid();
    const [a, b] = stores();
    const token = { accessToken: 'token-1', expiresAt: at(7_200_000), fetchedAt: at(0) };
    await a!.acquireLease(appid, 'holder', at(0), at(10_000));
    expect(await b!.save(appid, 'someone-else', token)).toBe(false);
    expect(await b!.read(appid)).toEqual({ accessToken: null, expiresAt: null, lastFetchedAt: null });
    expect(await b!.save(appid, 'holder', token)).toBe(true);
    expect(await a!.read(appid)).toEqual({ accessToken: 'token-1', expiresAt: at(7_200_000), lastFetchedAt: at(0) });
    expect(await b!.acquireLease(appid, 'next', at(1), at(10_000))).toBe(true);
    expect(await a!.read('wxnosuchappid')).toBeNull();
  });

  it('expires the cached token only while it is still the one that failed', async () => {
    const appid = newAppid();
    const [a, b] = stores();
    await a!.acquireLease(appid, 'h', at(0), at(10_000));
    await a!.save(appid, 'h', { accessToken: 'token-2', expiresAt: at(7_200_000), fetchedAt: at(0) });
    expect(await b!.expire(appid, 'token-1', at(5))).toBe(false);
    expect(await a!.read(appid)).toMatchObject({ accessToken: 'token-2', expiresAt: at(7_200_000) });
    expect(await b!.expire(appid, 'token-2', at(5))).toBe(true);
    expect(await a!.expire(appid, 'token-2', at(6))).toBe(false); // already expired
    expect(await a!.read(appid)).toMatchObject({ accessToken: 'token-2', expiresAt: at(5) });
  });

  it('counts force refreshes per day up to the limit, spaced, shared by every instance', async () => {
    const appid = newAppid();
    const [a, b] = stores();
    await a!.acquireLease(appid, 'h', at(0), at(10_000));
    expect(await a!.reserveForceRefresh(appid, '2026-12-01', at(0), limits)).toBe(true);
    expect(await b!.reserveForceRefresh(appid, '2026-12-01', at(29_999), limits)).toBe(false);
    expect(await b!.reserveForceRefresh(appid, '2026-12-01', at(30_000), limits)).toBe(true);
    expect(await a!.reserveForceRefresh(appid, '2026-12-01', at(90_000), limits)).toBe(false); // 2 a day here
    expect(await a!.reserveForceRefresh(appid, '2026-12-02', at(90_000), limits)).toBe(true);
    expect(await instances.databases[0].db.wechatAccessToken.findUnique({ where: { appid } })).toMatchObject({
      forceRefreshDay: '2026-12-02',
      forceRefreshCount: 1,
      lastForceRefreshAt: at(90_000),
    });
  });
});

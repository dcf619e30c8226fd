import type { AccessTokenStore } from '@wxtrpc/wechat';
import type { Db } from './Database.ts';
import { Prisma } from './generated/prisma/client.ts';

/**
 * The WeChat access_token cache (one WechatAccessToken row per appid) for every instance, on SQLite and
 * PostgreSQL alike: each operation is one conditional statement, so no lock is held between them.
 */
export function createAccessTokenStore(db: Db): AccessTokenStore {
  const rows = db.wechatAccessToken;
  const noLease = { leaseHolder: null, leaseExpiresAt: null };

  return {
    read: (appid) => rows.findUnique({ where: { appid }, select: { accessToken: true, expiresAt: true, lastFetchedAt: true } }),

    async acquireLease(appid, holder, now, until) {
      const lease = { leaseHolder: holder, leaseExpiresAt: until };
      const { count } = await rows.updateMany({ where: { appid, OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] }, data: lease });
      if (count === 1) return true;
      if (await rows.findUnique({ where: { appid }, select: { appid: true } })) return false; // held by someone else
      try {
        await rows.create({ data: { appid, ...lease } });
        return true;
      } catch (error) {
        // Another instance created the row first, holding the lease.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return false;
        throw error;
      }
    },

    async save(appid, holder, token) {
      const { count } = await rows.updateMany({
        where: { appid, leaseHolder: holder },
        data: { accessToken: token.accessToken, expiresAt: token.expiresAt, lastFetchedAt: token.fetchedAt, ...noLease },
      });
      return count === 1;
    },

    async releaseLease(appid, holder) {
      await rows.updateMany({ where: { appid, leaseHolder: holder }, data: noLease });
    },

    async expire(appid, accessToken, now) {
      const { count } = await rows.updateMany({ where: { appid, accessToken, expiresAt: { gt: now } }, data: { expiresAt: now } });
      return count === 1;
    },

    async reserveForceRefresh(appid, day, now, { maxPerDay, minGapMs }) {
      const spaced = { OR: [{ lastForceRefreshAt: null }, { lastForceRefreshAt: { lte: new Date(now.getTime() - minGapMs) } }] };
      const sameDay = await rows.updateMany({
        where: { appid, forceRefreshDay: day, forceRefreshCount: { lt: maxPerDay }, ...spaced },
        data: { forceRefreshCount: { increment: 1 }, lastForceRefreshAt: now },
      });
      if (sameDay.count === 1) return true;
      const newDay = await rows.updateMany({
        where: { appid, AND: [{ OR: [{ forceRefreshDay: null }, { forceRefreshDay: { not: day } }] }, spaced] },
        data: { forceRefreshDay: day, forceRefreshCount: 1, lastForceRefreshAt: now },
      });
      return newDay.count === 1;
    },
  };
}

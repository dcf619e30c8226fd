import type { PrismaClient } from './generated/prisma/client.ts';
import type { LoginWrite, Store } from './Store.ts';

/** The Store through Prisma Client: PostgreSQL, and the "what the docs lead to" reference in the benchmarks. */
export function createPrismaStore(prisma: PrismaClient, provider: Store['provider']): Store {
  const orderFields = { id: true, title: true, totalFen: true, status: true, createdAt: true } as const;

  const loginOnce = ({ openid, unionid, sessionKey, profile, newUserId, now, session }: LoginWrite) =>
    prisma.$transaction(async (tx) => {
      const user = await tx.user.upsert({
        where: { openid },
        create: { id: newUserId, openid, sessionKey, unionid, ...profile, createdAt: now },
        update: { sessionKey, ...profile, ...(unionid ? { unionid } : {}) },
        select: { id: true, nickName: true, avatarUrl: true },
      });
      await tx.session.create({
        data: {
          id: session.id,
          secretHash: new Uint8Array(session.secretHash),
          userId: user.id,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          lastUsedAt: session.createdAt,
        },
        select: { id: true },
      });
      return user;
    });

  return {
    provider,
    async findSession(id) {
      const row = await prisma.session.findUnique({
        where: { id },
        select: { id: true, userId: true, secretHash: true, expiresAt: true, lastUsedAt: true, user: { select: { id: true, nickName: true, avatarUrl: true } } },
      });
      return row;
    },
    async login(write) {
      // Two first logins of one user at once can both try to insert it; the loser retries and updates.
      for (let attempt = 1; ; attempt++) {
        try {
          return await loginOnce(write);
        } catch (error) {
          if ((error as { code?: string }).code !== 'P2002' || attempt >= 3) throw error;
        }
      }
    },
    async touchSession(id, lastUsedAt) {
      await prisma.session.updateMany({ where: { id }, data: { lastUsedAt } });
    },
    async renewSession(id, expiresAt, lastUsedAt) {
      await prisma.session.updateMany({ where: { id }, data: { expiresAt, lastUsedAt } });
    },
    async deleteSession(id) {
      await prisma.session.deleteMany({ where: { id } });
    },
    async deleteExpiredSessions(now) {
      return (await prisma.session.deleteMany({ where: { expiresAt: { lte: now } } })).count;
    },
    async listOrders({ userId, take, after, status }) {
      return prisma.order.findMany({
        where: {
          userId,
          ...(status ? { status } : {}),
          ...(after ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take,
        select: orderFields,
      });
    },
    countUsers: () => prisma.user.count(),
    async insertUserWithOrders(user, orders) {
      await prisma.$transaction([
        prisma.user.create({ data: { id: user.id, openid: user.openid, sessionKey: '', nickName: user.nickName, createdAt: user.createdAt } }),
        prisma.order.createMany({ data: orders.map((order) => ({ ...order, userId: user.id })) }),
      ]);
    },
    async ping() {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: () => prisma.$disconnect(),
  };
}

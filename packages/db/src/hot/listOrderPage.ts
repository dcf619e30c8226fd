// One page of a user's orders, newest first, by keyset on (createdAt, id): a measured hot path. This is
// its Prisma twin; listOrderPageSqlite.ts and listOrderPagePostgres.ts must return exactly the same (hotQueries.test.ts).
import type { Db } from '../Database.ts';
import type { OrderStatus, Prisma } from '../generated/prisma/client.ts';

/** The public fields of an order in a list; a new column never reaches the wire by accident. */
export const orderListSelect = { id: true, title: true, totalFen: true, status: true, createdAt: true } as const satisfies Prisma.OrderSelect;

export type OrderListRow = Prisma.OrderGetPayload<{ select: typeof orderListSelect }>;

export interface OrderPageQuery {
  userId: string;
  /** Rows to read (callers ask for one more than they show, to know whether a next page exists). */
  take: number;
  /** Start strictly after this (createdAt, id). */
  after?: { createdAt: Date; id: string } | undefined;
  status?: OrderStatus | undefined;
}

export type ListOrderPage = (query: OrderPageQuery) => Promise<OrderListRow[]>;

export const listOrderPagePrisma =
  (db: Db): ListOrderPage =>
  ({ userId, take, after, status }) =>
    db.order.findMany({
      where: {
        userId,
        ...(status ? { status } : {}),
        // `createdAt <= c AND (createdAt < c OR id < i)`: one range on the index, where the textbook
        // `createdAt < c OR (createdAt = c AND id < i)` makes SQLite merge two scans (see listOrderPageSqlite.ts).
        ...(after ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      select: orderListSelect,
    });

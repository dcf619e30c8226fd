import type { OrderStatus, PrismaClient } from '@wxtrpc/db';
import { decodeOrderCursor, encodeOrderCursor } from './orderCursor.ts';

export const orderStatuses = ['PENDING', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED'] as const satisfies readonly OrderStatus[];

export interface OrderListInput {
  limit: number;
  cursor?: string | null | undefined;
  status?: OrderStatus | undefined;
}

export interface OrderOnWire {
  id: string;
  title: string;
  totalFen: number;
  status: OrderStatus;
  createdAt: string;
}

export interface OrderPage {
  items: OrderOnWire[];
  nextCursor: string | null;
}

/**
 * One page of the user's orders, newest first, by keyset on (createdAt, id): the cost of a page does not
 * grow with how far the user has scrolled. The filter is written as `createdAt <= c AND (createdAt < c OR
 * id < i)`, which SQLite answers by walking the (userId, createdAt DESC, id DESC) index.
 */
export async function listOrders(prisma: PrismaClient, userId: string, input: OrderListInput): Promise<OrderPage> {
  const after = input.cursor ? decodeOrderCursor(userId, input.cursor) : null;
  const rows = await prisma.order.findMany({
    where: {
      userId,
      ...(input.status ? { status: input.status } : {}),
      ...(after
        ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    // Explicit fields, so a new column never reaches the wire by accident.
    select: { id: true, title: true, totalFen: true, status: true, createdAt: true },
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((order) => ({ ...order, createdAt: order.createdAt.toISOString() })),
    nextCursor: rows.length > input.limit && last ? encodeOrderCursor(userId, last) : null,
  };
}

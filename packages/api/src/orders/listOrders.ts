import { orderStatuses, type ListOrderPage, type OrderStatus } from '@wxtrpc/db';
import { decodeOrderCursor, encodeOrderCursor } from './orderCursor.ts';

export { orderStatuses };

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
 * grow with how far the user has scrolled.
 */
export async function listOrders(listOrderPage: ListOrderPage, userId: string, input: OrderListInput): Promise<OrderPage> {
  const after = input.cursor ? decodeOrderCursor(userId, input.cursor) : undefined;
  // The page query selects the public fields explicitly, so a new column never reaches the wire by accident.
  const rows = await listOrderPage({ userId, take: input.limit + 1, after, status: input.status });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((order) => ({ id: order.id, title: order.title, totalFen: order.totalFen, status: order.status, createdAt: order.createdAt.toISOString() })),
    nextCursor: rows.length > input.limit && last ? encodeOrderCursor(userId, last) : null,
  };
}

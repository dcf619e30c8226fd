import { orderListSelect, type Db } from '@wxtrpc/db';
import { ApiError } from '../ApiError.ts';
import type { OrderOnWire } from './listOrders.ts';

export interface OrderItemOnWire {
  id: string;
  title: string;
  unitPriceFen: number;
  quantity: number;
}

export interface OrderDetail extends OrderOnWire {
  items: OrderItemOnWire[];
}

/**
 * One of the user's orders with its items. Another user's order and an unknown id give the same
 * NOT_FOUND (same reason, same message), so ids reveal nothing about other users' orders.
 */
export async function getOrderDetail(db: Db, userId: string, id: string): Promise<OrderDetail> {
  const order = await db.order.findFirst({
    where: { id, userId },
    select: { ...orderListSelect, items: { select: { id: true, title: true, unitPriceFen: true, quantity: true }, orderBy: { position: 'asc' } } },
  });
  if (!order) throw new ApiError('NOT_FOUND', 'ORDER_NOT_FOUND', 'No such order among yours');
  // Fields written out: on Node 20's V8, `{ ...order, createdAt }` gives each answer a hidden class of its own.
  return { id: order.id, title: order.title, totalFen: order.totalFen, status: order.status, createdAt: order.createdAt.toISOString(), items: order.items };
}

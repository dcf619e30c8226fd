import { z } from 'zod';
import { getOrderDetail } from '../orders/getOrderDetail.ts';
import { listOrders, orderStatuses } from '../orders/listOrders.ts';
import { protectedProcedure, router } from '../trpc.ts';

export const orderListInput = z
  .object({
    limit: z.number().int().min(1).max(50).default(10),
    cursor: z.string().max(256).nullish(),
    status: z.enum(orderStatuses).optional(),
  })
  .default({ limit: 10 });

export const orderDetailInput = z.object({ id: z.uuid() });

export const orderRouter = router({
  /** The signed-in user's orders, newest first, a page at a time (tRPC infinite-query shape). */
  list: protectedProcedure.input(orderListInput).query(({ input, ctx }) => listOrders(ctx.services.hot.listOrderPage, ctx.user.id, input)),

  /** One of the signed-in user's orders with its items; NOT_FOUND (ORDER_NOT_FOUND) for anyone else's or an unknown id. */
  detail: protectedProcedure.input(orderDetailInput).query(({ input, ctx }) => getOrderDetail(ctx.db, ctx.user.id, input.id)),
});

import { authRouter } from './routers/authRouter.ts';
import { orderRouter } from './routers/orderRouter.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  order: orderRouter,
});

export type AppRouter = typeof appRouter;

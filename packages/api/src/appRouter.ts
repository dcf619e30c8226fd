import { accountRouter } from './routers/accountRouter.ts';
import { authRouter } from './routers/authRouter.ts';
import { orderRouter } from './routers/orderRouter.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  order: orderRouter,
});

export type AppRouter = typeof appRouter;

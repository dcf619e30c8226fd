import { getAccount } from '../accounts/getAccount.ts';
import { protectedProcedure, router } from '../trpc.ts';

export const accountRouter = router({
  /** The signed-in user's profile; the phone number only masked. */
  me: protectedProcedure.query(({ ctx }) => getAccount(ctx.db, ctx.user.id, ctx.baseUrl())),
});

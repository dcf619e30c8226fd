import { z } from 'zod';
import { loginWithWechat } from '../auth/loginWithWechat.ts';
import { protectedProcedure, publicProcedure, router } from '../trpc.ts';

const base64 = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64');

export const loginInput = z
  .object({
    /** From wx.login(): printable ASCII, one use, five minutes. */
    code: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'must be the code from wx.login()'),
    encryptedData: base64(16_384).optional(),
    iv: base64(64).optional(),
    rawData: z.string().min(2).max(4_096).optional(),
    signature: z
      .string()
      .regex(/^[0-9a-f]{40}$/i, 'must be 40 hex digits')
      .optional(),
  })
  .refine((input) => (input.encryptedData === undefined) === (input.iv === undefined), { message: 'send encryptedData and iv together', path: ['iv'] })
  .refine((input) => (input.rawData === undefined) === (input.signature === undefined), { message: 'send rawData and signature together', path: ['signature'] });

export const authRouter = router({
  /** Exchanges a wx.login code for a session token. */
  login: publicProcedure.input(loginInput).mutation(({ input, ctx }) => loginWithWechat(input, ctx.services, ctx.baseUrl())),

  /** Whether the caller's session is valid. Never throws for a bad token and never calls WeChat. */
  check: publicProcedure.query(async ({ ctx }) => {
    const auth = await ctx.auth();
    return { valid: auth !== null, expiresAt: auth ? auth.session.expiresAt.toISOString() : null };
  }),

  /** Ends the caller's session; the token stops working at once. Other devices stay signed in. */
  logout: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.sessions.invalidate(ctx.session.id);
    return { loggedOut: true as const };
  }),
});

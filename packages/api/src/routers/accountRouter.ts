import { z } from 'zod';
import { bindPhone } from '../accounts/bindPhone.ts';
import { getAccount } from '../accounts/getAccount.ts';
import { updateProfile } from '../accounts/updateProfile.ts';
import { protectedProcedure, router } from '../trpc.ts';

export const bindPhoneInput = z.object({
  /** From <button open-type="getPhoneNumber">: e.detail.code. */
  code: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'must be the code from getPhoneNumber'),
});

export const updateProfileInput = z
  .object({
    nickName: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(32, 'must be at most 32 characters')
      .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters')
      .optional(),
    avatarId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{24}$/, 'must be an avatarId from POST /avatars')
      .optional(),
  })
  .refine((update) => update.nickName !== undefined || update.avatarId !== undefined, { message: 'give nickName, avatarId, or both' });

export const accountRouter = router({
  /** The signed-in user's profile; the phone number only masked. */
  me: protectedProcedure.query(({ ctx }) => getAccount(ctx.db, ctx.user.id, ctx.baseUrl())),

  /** Stores the phone number WeChat gives for a getPhoneNumber code; answers account.me's shape. */
  bindPhone: protectedProcedure.input(bindPhoneInput).mutation(({ input, ctx }) => bindPhone(ctx.services, ctx.user.id, input.code, ctx.baseUrl())),

  /** Sets the nickname (checked by WeChat) and/or an uploaded avatar; answers account.me's shape. */
  updateProfile: protectedProcedure.input(updateProfileInput).mutation(({ input, ctx }) => updateProfile(ctx.services, ctx.user.id, input, ctx.baseUrl())),
});

import { createHash } from 'node:crypto';
import { WechatError } from '@wxtrpc/wechat';
import { ApiError } from '../ApiError.ts';
import type { ApiServices } from '../context.ts';
import { consumeUserLimit } from '../limits/userLimits.ts';
import { asApiError } from '../wechatApiError.ts';
import { accountSelect, toAccount, type Account } from './getAccount.ts';

const codeInvalid = (message: string) => new ApiError('BAD_REQUEST', 'PHONE_CODE_INVALID', message);

/**
 * Exchanges a getPhoneNumber code at WeChat (billed after a free quota) and stores the number on the user.
 * A code goes to WeChat at most once, whatever the client resends: its hash is taken first, in the shared
 * store. 5 bindings per user per hour. Binding again replaces the number; two users may share one.
 */
export async function bindPhone(services: ApiServices, userId: string, code: string, baseUrl: string): Promise<Account> {
  await consumeUserLimit(services.userLimits.bindPhone, userId, 'phone number bindings', services.metrics);
  const codeHash = createHash('sha256').update(code).digest('base64url');
  try {
    await services.userLimits.phoneCodes.consume(codeHash);
  } catch {
    throw codeInvalid('This phone-number code was already used; tap the button again for a new one');
  }
  const { openid } = await services.db.user.findUniqueOrThrow({ where: { id: userId }, select: { openid: true } });
  let phone;
  try {
    phone = await services.wechat.getPhoneNumber({ code, openid });
  } catch (error) {
    if (error instanceof WechatError && error.reason === 'WECHAT_PHONE_CODE_INVALID') throw codeInvalid('WeChat refused this phone-number code (invalid, expired or used)');
    throw asApiError(error);
  }
  if (phone.watermark.appid !== services.appid) {
    throw new ApiError('BAD_GATEWAY', 'WECHAT_RESPONSE_INVALID', "WeChat's answer was for another mini-program (watermark appid); the number was not stored");
  }
  const row = await services.db.user.update({
    where: { id: userId },
    data: { phoneNumber: phone.purePhoneNumber, phoneCountryCode: phone.countryCode },
    select: accountSelect,
  });
  return toAccount(row, baseUrl);
}

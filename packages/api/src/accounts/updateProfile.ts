import { WechatError } from '@wxtrpc/wechat';
import { ApiError } from '../ApiError.ts';
import type { ApiServices } from '../context.ts';
import { accountSelect, toAccount, type Account } from './getAccount.ts';

export interface ProfileUpdate {
  /** Already trimmed, 1-32 characters. */
  nickName?: string | undefined;
  avatarId?: string | undefined;
}

/**
 * Sets the nickname (checked by WeChat's msg_sec_check: "risky" is refused, "review" accepted and logged
 * without the text; WeChat unreachable refuses it, failing closed) and/or the avatar (one the caller
 * uploaded). Login never overwrites what is set here.
 */
export async function updateProfile(services: ApiServices, userId: string, update: ProfileUpdate, baseUrl: string): Promise<Account> {
  if (update.avatarId !== undefined) {
    const owned = await services.db.avatar.findFirst({ where: { id: update.avatarId, userId }, select: { id: true } });
    if (!owned) throw new ApiError('BAD_REQUEST', 'AVATAR_NOT_FOUND', 'No such avatar among your uploads; upload it at POST /avatars first');
  }
  if (update.nickName !== undefined) {
    const { openid } = await services.db.user.findUniqueOrThrow({ where: { id: userId }, select: { openid: true } });
    let suggest: string;
    try {
      ({ suggest } = await services.wechat.checkText({ content: update.nickName, openid, scene: 1 }));
    } catch (error) {
      if (!(error instanceof WechatError)) throw error;
      throw new ApiError(error.reason === 'WECHAT_TIMEOUT' ? 'GATEWAY_TIMEOUT' : 'BAD_GATEWAY', 'WECHAT_UNAVAILABLE', 'WeChat could not check the nickname; try again shortly');
    }
    if (suggest === 'risky') throw new ApiError('BAD_REQUEST', 'CONTENT_RISKY', 'WeChat flagged this nickname; choose another');
    if (suggest === 'review') services.log.warn({ userId, check: 'msg_sec_check', suggest }, 'nickname accepted pending review');
  }
  const row = await services.db.user.update({
    where: { id: userId },
    data: { ...(update.nickName !== undefined ? { nickName: update.nickName } : {}), ...(update.avatarId !== undefined ? { avatarId: update.avatarId } : {}) },
    select: accountSelect,
  });
  return toAccount(row, baseUrl);
}

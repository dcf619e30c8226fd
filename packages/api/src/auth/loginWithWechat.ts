import { decryptUserData, isAnonymousNickName, isDefaultAvatar, verifyRawDataSignature } from '@wxtrpc/wechat';
import { ApiError } from '../ApiError.ts';
import { asApiError } from '../wechatApiError.ts';
import { toAccount } from '../accounts/getAccount.ts';
import type { ApiServices } from '../context.ts';
import { upsertUserWithSession } from './upsertUserWithSession.ts';

export interface LoginInput {
  code: string;
  encryptedData?: string | undefined;
  iv?: string | undefined;
  rawData?: string | undefined;
  signature?: string | undefined;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: { id: string; nickName: string | null; avatarUrl: string | null };
}

interface Profile {
  nickName?: string;
  avatarUrl?: string;
}

const text = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : undefined);
/** A nickname or avatar URL worth storing: not WeChat's anonymous placeholder. */
const nickNameOf = (value: unknown) => {
  const name = text(value, 64);
  return name && !isAnonymousNickName(name) ? name : undefined;
};
const avatarUrlOf = (value: unknown) => {
  const url = text(value, 1024);
  return url && !isDefaultAvatar(url) ? url : undefined;
};

/**
 * The profile fields carried by verified user data (both forms may be sent; both must check out). Never
 * the identity: AES-CBC has no integrity, so a client holding its session_key can forge encryptedData.
 */
function verifiedProfile(input: LoginInput, openid: string, sessionKey: string, services: ApiServices): Profile {
  const profile: Profile = {};
  if (input.encryptedData !== undefined && input.iv !== undefined) {
    const data = decryptUserData({
      sessionKey,
      encryptedData: input.encryptedData,
      iv: input.iv,
      appid: services.appid,
      maxAgeSeconds: services.watermarkMaxAgeSeconds,
      now: services.now(),
    });
    if (data.openId !== undefined && data.openId !== openid) {
      throw new ApiError('BAD_REQUEST', 'USER_DATA_OPENID_MISMATCH', 'encryptedData belongs to another WeChat user');
    }
    Object.assign(profile, { nickName: nickNameOf(data.nickName), avatarUrl: avatarUrlOf(data.avatarUrl) });
  }
  if (input.rawData !== undefined && input.signature !== undefined) {
    verifyRawDataSignature(input.rawData, input.signature, sessionKey);
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(input.rawData) as Record<string, unknown>;
    } catch {
      throw new ApiError('BAD_REQUEST', 'USER_DATA_INVALID', 'rawData is not JSON');
    }
    profile.nickName ??= nickNameOf(data.nickName);
    profile.avatarUrl ??= avatarUrlOf(data.avatarUrl);
  }
  return profile;
}

/**
 * The official mini-program login: exchange the code at WeChat, check any user data against the new
 * session_key, keep the latest session_key on the user, and open a new session. The unionid is
 * jscode2session's alone. Nothing is written unless every check passed; the write is one transaction.
 */
export async function loginWithWechat(input: LoginInput, services: ApiServices, baseUrl: string): Promise<LoginResult> {
  try {
    const { openid, sessionKey, unionid } = await services.wechat.code2Session(input.code);
    const profile = verifiedProfile(input, openid, sessionKey, services);
    const { token, session } = services.sessions.issue();
    const user = await upsertUserWithSession(services.db, services.sessions, services.metrics, { openid, unionid, sessionKey, profile, now: services.now(), session });
    const { id, nickName, avatarUrl } = toAccount(user, baseUrl); // never the phone number, even masked
    return { token, expiresAt: session.expiresAt.toISOString(), user: { id, nickName, avatarUrl } };
  } catch (error) {
    throw asApiError(error);
  }
}

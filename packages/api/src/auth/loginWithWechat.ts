import { decryptUserData, UserDataError, verifyRawDataSignature, WechatError, type WechatErrorReason } from '@wxtrpc/wechat';
import { ApiError } from '../ApiError.ts';
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

const codeByWechatReason: Record<WechatErrorReason, ConstructorParameters<typeof ApiError>[0]> = {
  WECHAT_CODE_INVALID: 'BAD_REQUEST',
  WECHAT_CODE_USED: 'BAD_REQUEST',
  WECHAT_PHONE_CODE_INVALID: 'BAD_REQUEST',
  WECHAT_USER_BLOCKED: 'FORBIDDEN',
  WECHAT_RATE_LIMITED: 'TOO_MANY_REQUESTS',
  WECHAT_CONFIG_REJECTED: 'BAD_GATEWAY',
  WECHAT_UNAVAILABLE: 'BAD_GATEWAY',
  WECHAT_TIMEOUT: 'GATEWAY_TIMEOUT',
  WECHAT_ERROR: 'BAD_GATEWAY',
};

const asApiError = (error: unknown): unknown => {
  if (error instanceof WechatError) return new ApiError(codeByWechatReason[error.reason], error.reason, error.message);
  if (error instanceof UserDataError) return new ApiError('BAD_REQUEST', error.reason, error.message);
  return error;
};

interface Profile {
  nickName?: string;
  avatarUrl?: string;
}

const text = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : undefined);

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
    Object.assign(profile, { nickName: text(data.nickName, 64), avatarUrl: text(data.avatarUrl, 1024) });
  }
  if (input.rawData !== undefined && input.signature !== undefined) {
    verifyRawDataSignature(input.rawData, input.signature, sessionKey);
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(input.rawData) as Record<string, unknown>;
    } catch {
      throw new ApiError('BAD_REQUEST', 'USER_DATA_INVALID', 'rawData is not JSON');
    }
    profile.nickName ??= text(data.nickName, 64);
    profile.avatarUrl ??= text(data.avatarUrl, 1024);
  }
  return profile;
}

/**
 * The official mini-program login: exchange the code at WeChat, check any user data against the new
 * session_key, keep the latest session_key on the user, and open a new session. The unionid is
 * jscode2session's alone. Nothing is written unless every check passed; the write is one transaction.
 */
export async function loginWithWechat(input: LoginInput, services: ApiServices): Promise<LoginResult> {
  try {
    const { openid, sessionKey, unionid } = await services.wechat.code2Session(input.code);
    const profile = verifiedProfile(input, openid, sessionKey, services);
    const { token, session } = services.sessions.issue();
    const user = await upsertUserWithSession(services.db, services.sessions, { openid, unionid, sessionKey, profile, now: services.now(), session });
    return { token, expiresAt: session.expiresAt.toISOString(), user };
  } catch (error) {
    throw asApiError(error);
  }
}

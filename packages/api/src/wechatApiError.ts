import { UserDataError, WechatError, type WechatErrorReason } from '@wxtrpc/wechat';
import { ApiError } from './ApiError.ts';

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

/** A WeChat failure (or a user-data check) as the typed tRPC error clients see; anything else unchanged. */
export function asApiError(error: unknown): unknown {
  if (error instanceof WechatError) return new ApiError(codeByWechatReason[error.reason], error.reason, error.message);
  if (error instanceof UserDataError) return new ApiError('BAD_REQUEST', error.reason, error.message);
  return error;
}

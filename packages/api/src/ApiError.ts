import { TRPCError } from '@trpc/server';
import type { UserDataErrorReason, WechatErrorReason } from '@wxtrpc/wechat';

/** Machine-readable reasons a client can branch on; sent as `error.data.reason`. */
export type ApiErrorReason =
  | WechatErrorReason
  | UserDataErrorReason
  | 'USER_DATA_OPENID_MISMATCH'
  | 'USER_DATA_INVALID'
  | 'SESSION_INVALID'
  | 'CURSOR_INVALID'
  | 'ORDER_NOT_FOUND'
  | 'RATE_LIMITED'
  | 'UNIONID_CONFLICT'
  | 'PHONE_CODE_INVALID'
  | 'WECHAT_RESPONSE_INVALID'
  | 'CONTENT_RISKY'
  | 'AVATAR_NOT_FOUND';

type Code = ConstructorParameters<typeof TRPCError>[0]['code'];

/** A TRPCError with a stable reason. Messages are written for developers and never carry secrets. */
export class ApiError extends TRPCError {
  readonly reason: ApiErrorReason;
  constructor(code: Code, reason: ApiErrorReason, message: string) {
    super({ code, message });
    this.reason = reason;
  }
}

/** Why a WeChat call failed, as a stable machine-readable reason. */
export type WechatErrorReason =
  | 'WECHAT_CODE_INVALID' // 40029: unknown or expired code
  | 'WECHAT_CODE_USED' // 40163: the code was already exchanged
  | 'WECHAT_USER_BLOCKED' // 40226: high-risk user, login blocked by WeChat
  | 'WECHAT_PHONE_CODE_INVALID' // 40029 at getuserphonenumber: unknown, expired, used, or another user's phone code
  | 'WECHAT_RATE_LIMITED' // 45011: per-user minute quota (45009 / 45011 at stable_token: the appid's quota)
  | 'WECHAT_CONFIG_REJECTED' // 40013 / 40125 / 40164 ...: our appid, secret or server IP is refused
  | 'WECHAT_UNAVAILABLE' // -1 after retries, HTTP 5xx, unreadable body, connection error
  | 'WECHAT_TIMEOUT' // no answer within the timeout
  | 'WECHAT_ERROR'; // any other errcode

export class WechatError extends Error {
  override readonly name = 'WechatError';
  constructor(
    readonly reason: WechatErrorReason,
    message: string,
    /** WeChat's errcode, when WeChat answered with one. */
    readonly errcode?: number,
  ) {
    super(message);
  }
}

/** The access_token of one appid, shared by every instance of the server. */
export interface AccessTokenManager {
  /** A valid access_token, fetched at most once at a time across instances. Throws `WechatError`. */
  get(): Promise<string>;
  /**
   * Runs `fn` with the access_token. If WeChat answers 40001, 40014 or 42001, the token that failed is
   * expired, a fresh one fetched, and `fn` run once more; a second rejection is WECHAT_UNAVAILABLE.
   */
  call<T>(fn: (accessToken: string) => Promise<T>): Promise<T>;
}

import { WechatError } from './WechatError.ts';

const whitelistHint = "the server's egress IP must be on the mini-program's IP whitelist (mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单)";

const configMessages: Record<number, string> = {
  40013: 'WeChat rejected the server appid; check WECHAT_APPID',
  40125: 'WeChat rejected the server secret; check WECHAT_SECRET',
  41002: 'WeChat reported a missing appid; check WECHAT_APPID',
  41004: 'WeChat reported a missing secret; check WECHAT_SECRET',
  40164: `WeChat refused this server's IP address: ${whitelistHint}`,
};

/** Errcodes saying our configuration is wrong (appid, secret, IP whitelist): a typed error telling the operator what to check. */
export function configRejection(answer: { errcode: number; fields: Record<string, unknown> }): WechatError | null {
  const message = configMessages[answer.errcode];
  if (!message) return null;
  // WeChat's 40164 errmsg names the refused address ("invalid ip 1.2.3.4 ipv6 ..."): worth passing on, and nothing else of it.
  const ip = answer.errcode === 40164 ? /invalid ip ([0-9.]+)/.exec(String(answer.fields.errmsg))?.[1] : undefined;
  return new WechatError('WECHAT_CONFIG_REJECTED', ip ? `${message}; WeChat saw ${ip}` : message, answer.errcode);
}

/** Answers to a call made with an access_token that is invalid (40001, 40014) or expired (42001). */
export const accessTokenErrcodes: ReadonlySet<number> = new Set([40001, 40014, 42001]);

export const isAccessTokenRejection = (error: unknown): error is WechatError & { errcode: number } =>
  error instanceof WechatError && error.errcode !== undefined && accessTokenErrcodes.has(error.errcode);

/** The error for an access-token errcode, for `AccessTokenManager.call` to recognise. */
export const accessTokenRejection = (errcode: number) => new WechatError('WECHAT_ERROR', `WeChat rejected the access token (errcode ${errcode})`, errcode);

import type { AccessTokenManager } from './AccessTokenManager.ts';
import { checkText, type CheckTextInput, type TextCheckResult } from './checkText.ts';
import { getPhoneNumber, type GetPhoneNumberInput, type PhoneNumberInfo } from './getPhoneNumber.ts';
import { requestWechat, resolveSettings } from './requestWechat.ts';
import { configRejection } from './wechatErrcodes.ts';
import { WechatError } from './WechatError.ts';

export interface Code2SessionResult {
  openid: string;
  sessionKey: string;
  unionid: string | null;
}

export interface WechatClient {
  /** Exchanges a `wx.login` code at `sns/jscode2session`. Throws `WechatError`. */
  code2Session(code: string): Promise<Code2SessionResult>;
  /** The phone number behind a `getPhoneNumber` button's code. Needs `accessTokens`. Throws `WechatError`. */
  getPhoneNumber(input: GetPhoneNumberInput): Promise<PhoneNumberInfo>;
  /** WeChat's verdict on user text (msg_sec_check, version 2). Needs `accessTokens`. Throws `WechatError`. */
  checkText(input: CheckTextInput): Promise<TextCheckResult>;
}

export interface WechatClientOptions {
  appid: string;
  secret: string;
  /** e.g. https://api.weixin.qq.com, or the emulator's address. */
  baseUrl: string;
  /** Per attempt. */
  timeoutMs?: number;
  /** Extra attempts after errcode -1 (WeChat busy); nothing else is retried. */
  busyRetries?: number;
  /** First backoff delay; doubles per retry, with jitter. */
  retryDelayMs?: number;
  /** The shared access_token, for the calls that need one (getPhoneNumber, checkText). */
  accessTokens?: AccessTokenManager;
  /** Told of every call to WeChat, with its outcome (metrics). */
  onCall?: (endpoint: string, outcome: string) => void;
}

/** Errcodes that mean the code itself was consumed or refused: never retried. */
const loginErrors: Record<number, { reason: WechatError['reason']; message: string }> = {
  40029: { reason: 'WECHAT_CODE_INVALID', message: 'WeChat rejected the login code as invalid or expired; call wx.login again' },
  40163: { reason: 'WECHAT_CODE_USED', message: 'This login code was already used; call wx.login again' },
  40226: { reason: 'WECHAT_USER_BLOCKED', message: 'WeChat blocked the login of this user (high-risk account)' },
  45011: { reason: 'WECHAT_RATE_LIMITED', message: 'WeChat rate-limited logins for this user; try again in a minute' },
};

/** Our own small client: no maintained Node library parses WeChat's answers defensively and retries only what is safe. */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  const settings = resolveSettings(options);
  const accessTokens = (): AccessTokenManager => {
    if (!options.accessTokens) throw new Error('createWechatClient needs the accessTokens option for this call');
    return options.accessTokens;
  };

  return {
    async code2Session(code) {
      const answer = await requestWechat(settings, 'sns/jscode2session', {
        method: 'GET',
        query: { appid: options.appid, secret: options.secret, js_code: code, grant_type: 'authorization_code' },
      });
      const { errcode, fields } = answer;
      if (errcode !== 0) {
        const known = loginErrors[errcode];
        if (known) throw new WechatError(known.reason, known.message, errcode);
        throw configRejection(answer) ?? new WechatError('WECHAT_ERROR', `WeChat refused the login (errcode ${errcode})`, errcode);
      }
      const { openid, session_key: sessionKey, unionid } = fields;
      if (typeof openid !== 'string' || openid === '' || typeof sessionKey !== 'string' || sessionKey === '') {
        throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered without an openid and session_key');
      }
      return { openid, sessionKey, unionid: typeof unionid === 'string' && unionid !== '' ? unionid : null };
    },
    async getPhoneNumber(input) {
      return getPhoneNumber(settings, accessTokens(), input);
    },
    async checkText(input) {
      return checkText(settings, accessTokens(), input);
    },
  };
}

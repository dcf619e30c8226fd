import { setTimeout as sleep } from 'node:timers/promises';
import { httpGet } from './httpGet.ts';
import { WechatError } from './WechatError.ts';

export interface Code2SessionResult {
  openid: string;
  sessionKey: string;
  unionid: string | null;
}

export interface WechatClient {
  /** Exchanges a `wx.login` code at `sns/jscode2session`. Throws `WechatError`. */
  code2Session(code: string): Promise<Code2SessionResult>;
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
}

/** Errcodes that mean the code itself was consumed or refused: never retried. */
const reasonByErrcode: Record<number, { reason: WechatError['reason']; message: string }> = {
  40029: { reason: 'WECHAT_CODE_INVALID', message: 'WeChat rejected the login code as invalid or expired; call wx.login again' },
  40163: { reason: 'WECHAT_CODE_USED', message: 'This login code was already used; call wx.login again' },
  40226: { reason: 'WECHAT_USER_BLOCKED', message: 'WeChat blocked the login of this user (high-risk account)' },
  45011: { reason: 'WECHAT_RATE_LIMITED', message: 'WeChat rate-limited logins for this user; try again in a minute' },
  40013: { reason: 'WECHAT_CONFIG_REJECTED', message: 'WeChat rejected the server appid; check WECHAT_APPID' },
  40125: { reason: 'WECHAT_CONFIG_REJECTED', message: 'WeChat rejected the server secret; check WECHAT_SECRET' },
  41002: { reason: 'WECHAT_CONFIG_REJECTED', message: 'WeChat reported a missing appid; check WECHAT_APPID' },
  41004: { reason: 'WECHAT_CONFIG_REJECTED', message: 'WeChat reported a missing secret; check WECHAT_SECRET' },
};

const busyErrcode = -1;

/** Our own small client: no maintained Node library parses jscode2session defensively and retries only what is safe. */
export function createWechatClient(options: WechatClientOptions): WechatClient {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const busyRetries = options.busyRetries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const endpoint = new URL('sns/jscode2session', options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);

  async function attempt(code: string): Promise<Code2SessionResult | 'busy'> {
    const url = new URL(endpoint);
    url.search = new URLSearchParams({
      appid: options.appid,
      secret: options.secret,
      js_code: code,
      grant_type: 'authorization_code',
    }).toString();
    let response: { status: number };
    let text: string;
    try {
      const answer = await httpGet(url, timeoutMs);
      response = answer;
      text = answer.body;
    } catch (error) {
      // Error messages here never include the URL: it carries the secret and the code.
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new WechatError('WECHAT_TIMEOUT', `WeChat did not answer within ${timeoutMs} ms`);
      }
      throw new WechatError('WECHAT_UNAVAILABLE', 'Could not reach WeChat');
    }
    if (response.status >= 500) throw new WechatError('WECHAT_UNAVAILABLE', `WeChat answered HTTP ${response.status}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new WechatError('WECHAT_UNAVAILABLE', `WeChat answered HTTP ${response.status} with a body that is not JSON`);
    }
    if (typeof body !== 'object' || body === null) throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered with an unexpected body');
    const fields = body as Record<string, unknown>;
    // errcode may be missing on success, a number, or a string ("40029").
    const errcode = fields.errcode === undefined || fields.errcode === null ? 0 : Number(fields.errcode);
    if (errcode === busyErrcode) return 'busy';
    if (!Number.isFinite(errcode)) throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered with an unreadable errcode');
    if (errcode !== 0) {
      const known = reasonByErrcode[errcode];
      if (known) throw new WechatError(known.reason, known.message, errcode);
      throw new WechatError('WECHAT_ERROR', `WeChat refused the login (errcode ${errcode})`, errcode);
    }
    const { openid, session_key: sessionKey, unionid } = fields;
    if (typeof openid !== 'string' || openid === '' || typeof sessionKey !== 'string' || sessionKey === '') {
      throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered without an openid and session_key');
    }
    return { openid, sessionKey, unionid: typeof unionid === 'string' && unionid !== '' ? unionid : null };
  }

  return {
    async code2Session(code) {
      for (let retry = 0; ; retry++) {
        const result = await attempt(code);
        if (result !== 'busy') return result;
        if (retry >= busyRetries) throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat is busy (errcode -1); try again shortly', busyErrcode);
        const delay = retryDelayMs * 2 ** retry;
        await sleep(delay / 2 + Math.random() * (delay / 2));
      }
    },
  };
}

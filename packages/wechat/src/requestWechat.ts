import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest } from './httpRequest.ts';
import { WechatError } from './WechatError.ts';

export interface WechatRequestSettings {
  /** e.g. https://api.weixin.qq.com, or the emulator's address. */
  baseUrl: string;
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after errcode -1 (WeChat busy, answered before doing anything); nothing else is retried. */
  busyRetries: number;
  /** First backoff delay; doubles per retry, with jitter. */
  retryDelayMs: number;
  /** Told of every attempt: the endpoint's path and 'ok', the errcode, 'timeout' or 'unavailable' (for metrics). */
  onCall?: ((endpoint: string, outcome: string) => void) | undefined;
}

export interface WechatRequest {
  method: 'GET' | 'POST';
  /** Query parameters; they may carry secrets, so no message ever includes the URL. */
  query: Record<string, string>;
  json?: unknown;
}

/** A JSON object WeChat answered, with its errcode read as a number (0 when absent, as on many successes). */
export interface WechatAnswer {
  errcode: number;
  fields: Record<string, unknown>;
}

export const busyErrcode = -1;

export const resolveSettings = (options: {
  baseUrl: string;
  timeoutMs?: number;
  busyRetries?: number;
  retryDelayMs?: number;
  onCall?: WechatRequestSettings['onCall'];
}): WechatRequestSettings => ({
  baseUrl: options.baseUrl,
  timeoutMs: options.timeoutMs ?? 5_000,
  busyRetries: options.busyRetries ?? 2,
  retryDelayMs: options.retryDelayMs ?? 100,
  onCall: options.onCall,
});

async function attempt(url: URL, request: WechatRequest, timeoutMs: number): Promise<WechatAnswer> {
  let answer: { status: number; body: string };
  try {
    answer = await httpRequest(url, { method: request.method, json: request.json, timeoutMs });
  } catch (error) {
    // Never the cause: it may name the URL, which carries the secret, a code or the access token.
    if (error instanceof Error && error.name === 'TimeoutError') throw new WechatError('WECHAT_TIMEOUT', `WeChat did not answer within ${timeoutMs} ms`);
    throw new WechatError('WECHAT_UNAVAILABLE', 'Could not reach WeChat');
  }
  if (answer.status >= 500) throw new WechatError('WECHAT_UNAVAILABLE', `WeChat answered HTTP ${answer.status}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw new WechatError('WECHAT_UNAVAILABLE', `WeChat answered HTTP ${answer.status} with a body that is not JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered with an unexpected body');
  const fields = body as Record<string, unknown>;
  // errcode may be missing on success, a number, or a string ("40029").
  const errcode = fields.errcode === undefined || fields.errcode === null ? 0 : Number(fields.errcode);
  if (!Number.isInteger(errcode)) throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered with an unreadable errcode');
  return { errcode, fields };
}

/**
 * Calls one WeChat endpoint and reads its JSON answer, retrying only errcode -1 (bounded, with backoff):
 * a timeout or a lost connection is never retried, since WeChat may have acted on the request.
 */
export async function requestWechat(settings: WechatRequestSettings, path: string, request: WechatRequest): Promise<WechatAnswer> {
  const url = new URL(path, settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`);
  url.search = new URLSearchParams(request.query).toString();
  for (let retry = 0; ; retry++) {
    let answer: WechatAnswer;
    try {
      answer = await attempt(url, request, settings.timeoutMs);
    } catch (error) {
      settings.onCall?.(path, error instanceof WechatError && error.reason === 'WECHAT_TIMEOUT' ? 'timeout' : 'unavailable');
      throw error;
    }
    settings.onCall?.(path, answer.errcode === 0 ? 'ok' : String(answer.errcode));
    if (answer.errcode !== busyErrcode) return answer;
    if (retry >= settings.busyRetries) throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat is busy (errcode -1); try again shortly', busyErrcode);
    const delay = settings.retryDelayMs * 2 ** retry;
    await sleep(delay / 2 + Math.random() * (delay / 2));
  }
}

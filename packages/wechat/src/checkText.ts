import type { AccessTokenManager } from './AccessTokenManager.ts';
import { requestWechat, type WechatRequestSettings } from './requestWechat.ts';
import { accessTokenErrcodes, accessTokenRejection } from './wechatErrcodes.ts';
import { WechatError } from './WechatError.ts';

/** 1: profile, 2: comment, 3: forum, 4: social log. */
export type TextScene = 1 | 2 | 3 | 4;

export interface CheckTextInput {
  /** At most 2,500 characters. */
  content: string;
  /** A user who opened the mini-program within the last 2 hours. */
  openid: string;
  scene: TextScene;
}

export type TextSuggestion = 'pass' | 'review' | 'risky';

export interface TextCheckResult {
  suggest: TextSuggestion;
  /** 100: normal; 10001 ad, 20001 politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other. */
  label: number;
}

const suggestions: ReadonlySet<string> = new Set<TextSuggestion>(['pass', 'review', 'risky']);

async function check(settings: WechatRequestSettings, accessTokens: AccessTokenManager, input: CheckTextInput): Promise<TextCheckResult> {
  const answer = await accessTokens.call(async (accessToken) => {
    const answer = await requestWechat(settings, 'wxa/msg_sec_check', {
      method: 'POST',
      query: { access_token: accessToken },
      json: { content: input.content, version: 2, scene: input.scene, openid: input.openid },
    });
    if (accessTokenErrcodes.has(answer.errcode)) throw accessTokenRejection(answer.errcode);
    return answer;
  });
  if (answer.errcode !== 0) throw new WechatError('WECHAT_UNAVAILABLE', `WeChat could not check the text (errcode ${answer.errcode})`, answer.errcode);
  const result = answer.fields.result;
  const { suggest, label } = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  const labelNumber = typeof label === 'number' || typeof label === 'string' ? Number(label) : Number.NaN;
  if (typeof suggest !== 'string' || !suggestions.has(suggest) || !Number.isInteger(labelNumber)) {
    throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered without a readable result');
  }
  return { suggest: suggest as TextSuggestion, label: labelNumber };
}

/** `POST wxa/msg_sec_check` (version 2). Every failure is WECHAT_TIMEOUT or WECHAT_UNAVAILABLE (keeping WeChat's errcode and the message). */
export async function checkText(settings: WechatRequestSettings, accessTokens: AccessTokenManager, input: CheckTextInput): Promise<TextCheckResult> {
  try {
    return await check(settings, accessTokens, input);
  } catch (error) {
    if (!(error instanceof WechatError) || error.reason === 'WECHAT_TIMEOUT' || error.reason === 'WECHAT_UNAVAILABLE') throw error;
    throw new WechatError('WECHAT_UNAVAILABLE', error.message, error.errcode);
  }
}

import type { AccessTokenManager } from './AccessTokenManager.ts';
import { requestWechat, type WechatRequestSettings } from './requestWechat.ts';
import { accessTokenErrcodes, accessTokenRejection, configRejection } from './wechatErrcodes.ts';
import { WechatError } from './WechatError.ts';

export interface GetPhoneNumberInput {
  /** `e.detail.code` of `<button open-type="getPhoneNumber">`: single use, valid 5 minutes. */
  code: string;
  /** When given, WeChat checks that the code belongs to this user. */
  openid?: string;
}

export interface PhoneNumberInfo {
  /** With the country code for numbers outside mainland China ("+1 4155550123"), else as purePhoneNumber. */
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
  /** Check that `appid` is ours. */
  watermark: { appid: string; timestamp: number };
}

const phoneErrors: Record<number, { reason: WechatError['reason']; message: string }> = {
  40029: {
    reason: 'WECHAT_PHONE_CODE_INVALID',
    message: 'WeChat rejected the phone number code (unknown, expired, used, or another user’s); ask the user to tap the button again',
  },
  45011: { reason: 'WECHAT_RATE_LIMITED', message: 'WeChat rate-limited phone number requests; try again in a minute' },
};

const unreadable = () => new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered without a readable phone_info');
const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/**
 * `POST wxa/business/getuserphonenumber`. The code is sent at most once when the outcome is unknown: only
 * errcode -1 (answered before WeChat uses the code) and a rejected access_token are retried.
 */
export async function getPhoneNumber(settings: WechatRequestSettings, accessTokens: AccessTokenManager, input: GetPhoneNumberInput): Promise<PhoneNumberInfo> {
  const answer = await accessTokens.call(async (accessToken) => {
    const answer = await requestWechat(settings, 'wxa/business/getuserphonenumber', {
      method: 'POST',
      query: { access_token: accessToken },
      json: { code: input.code, ...(input.openid === undefined ? {} : { openid: input.openid }) },
    });
    if (accessTokenErrcodes.has(answer.errcode)) throw accessTokenRejection(answer.errcode);
    return answer;
  });
  if (answer.errcode !== 0) {
    const known = phoneErrors[answer.errcode];
    if (known) throw new WechatError(known.reason, known.message, answer.errcode);
    throw configRejection(answer) ?? new WechatError('WECHAT_ERROR', `WeChat refused the phone number (errcode ${answer.errcode})`, answer.errcode);
  }
  const info = answer.fields.phone_info;
  if (typeof info !== 'object' || info === null) throw unreadable();
  const { phoneNumber, purePhoneNumber, countryCode, watermark } = info as Record<string, unknown>;
  const fields = { phoneNumber: text(phoneNumber), purePhoneNumber: text(purePhoneNumber), countryCode: text(countryCode) };
  if (!/^\d{4,20}$/.test(fields.purePhoneNumber) || !/^\d{1,4}$/.test(fields.countryCode) || fields.phoneNumber === '') throw unreadable();
  if (typeof watermark !== 'object' || watermark === null) throw unreadable();
  const { appid, timestamp } = watermark as Record<string, unknown>;
  if (typeof appid !== 'string' || appid === '' || !Number.isFinite(Number(timestamp))) throw unreadable();
  return { ...fields, watermark: { appid, timestamp: Number(timestamp) } };
}

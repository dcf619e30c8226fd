import { requestWechat, type WechatRequestSettings } from './requestWechat.ts';
import { configRejection } from './wechatErrcodes.ts';
import { WechatError } from './WechatError.ts';

export interface StableToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface StableTokenRequest {
  appid: string;
  secret: string;
  /** Force mode makes a new token; WeChat allows 20 a day, 30 s apart. */
  forceRefresh: boolean;
}

/** `POST cgi-bin/stable_token`. Throws `WechatError`, whose message never holds the secret or the token. */
export async function fetchStableToken(settings: WechatRequestSettings, request: StableTokenRequest): Promise<StableToken> {
  const answer = await requestWechat(settings, 'cgi-bin/stable_token', {
    method: 'POST',
    query: {},
    json: { grant_type: 'client_credential', appid: request.appid, secret: request.secret, force_refresh: request.forceRefresh },
  });
  const { errcode, fields } = answer;
  if (errcode === 45009 || errcode === 45011) {
    throw new WechatError(
      'WECHAT_RATE_LIMITED',
      `WeChat refused an access_token ${request.forceRefresh ? 'force refresh' : 'request'}: quota reached (errcode ${errcode})`,
      errcode,
    );
  }
  if (errcode !== 0) throw configRejection(answer) ?? new WechatError('WECHAT_ERROR', `WeChat refused the access_token request (errcode ${errcode})`, errcode);
  const expiresInSeconds = Number(fields.expires_in);
  if (typeof fields.access_token !== 'string' || fields.access_token === '' || !(expiresInSeconds > 0)) {
    throw new WechatError('WECHAT_UNAVAILABLE', 'WeChat answered without an access_token and expires_in');
  }
  return { accessToken: fields.access_token, expiresInSeconds };
}

// WeChat's account APIs: stable_token, and the two calls that take its access_token (getuserphonenumber,
// msg_sec_check), plus /emulator/* endpoints to mint phone codes, revoke the token, and refuse our IP.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createEmulatedAccessTokens } from './emulatedAccessTokens.ts';
import { dropExpired } from './dropExpired.ts';
import type { EmulatorContext } from './emulatorContext.ts';
import { errorAnswer } from './errorAnswer.ts';
import { moderateText } from './moderateText.ts';

const userName = z.string().min(1).max(64);
const fields = (body: unknown): Record<string, unknown> => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {});

export function registerAccountRoutes(app: FastifyInstance, context: EmulatorContext) {
  const { appid, secret, now, faults, stats } = context;
  const accessTokens = createEmulatedAccessTokens(now);
  const phoneCodes = new Map<string, { user: string; expiresAt: number; used: boolean }>();
  const phoneNumbers = new Set<string>();
  let ipWhitelisted = true;

  /** 0 when the query's access_token may call an API, else the error answer. */
  const tokenError = (query: unknown) => {
    const errcode = accessTokens.check((query as { access_token?: string }).access_token);
    const messages: Record<number, string> = {
      41001: 'access_token missing',
      40001: 'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken',
      42001: 'access_token expired',
    };
    return errcode === 0 ? null : errorAnswer(errcode, messages[errcode]!);
  };

  app.get('/cgi-bin/stable_token', async () => errorAnswer(43002, 'require POST method'));

  app.post('/cgi-bin/stable_token', async (request, reply) => {
    const body = fields(request.body);
    stats.stableTokenRequests++;
    if (body.force_refresh === true) stats.forceRefreshRequests++;
    const faulted = await faults.play('stable_token', reply);
    if (faulted !== undefined) return faulted;
    if (body.grant_type !== 'client_credential') return errorAnswer(40002, 'invalid grant_type');
    if (!body.appid) return errorAnswer(41002, 'appid missing');
    if (body.appid !== appid) return errorAnswer(40013, 'invalid appid');
    if (!body.secret) return errorAnswer(41004, 'appsecret missing');
    if (body.secret !== secret) return errorAnswer(40125, 'invalid appsecret');
    if (!ipWhitelisted) return errorAnswer(40164, `invalid ip ${request.ip.replace(/^::ffff:/, '')} ipv6 ${request.ip}, not in whitelist`);
    return accessTokens.stableToken(body.force_refresh === true);
  });

  app.post('/wxa/business/getuserphonenumber', async (request, reply) => {
    stats.phoneNumberRequests++;
    const faulted = await faults.play('getuserphonenumber', reply);
    if (faulted !== undefined) return faulted;
    const rejected = tokenError(request.query);
    if (rejected) return rejected;
    const { code, openid } = fields(request.body);
    if (typeof code !== 'string' || code === '') return errorAnswer(41008, 'missing code');
    const minted = phoneCodes.get(code);
    if (!minted || minted.used || minted.expiresAt <= now()) return errorAnswer(40029, 'invalid code');
    const user = context.userNamed(minted.user);
    if (openid !== undefined && openid !== user.openid) return errorAnswer(40029, 'invalid code, openid not match');
    minted.used = true;
    phoneNumbers.add(user.purePhoneNumber);
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: user.countryCode === '86' ? user.purePhoneNumber : `+${user.countryCode} ${user.purePhoneNumber}`,
        purePhoneNumber: user.purePhoneNumber,
        countryCode: user.countryCode,
        watermark: { timestamp: Math.floor(now() / 1000), appid: user.watermarkAppid ?? appid },
      },
    };
  });

  app.post('/wxa/msg_sec_check', async (request, reply) => {
    stats.textCheckRequests++;
    const faulted = await faults.play('msg_sec_check', reply);
    if (faulted !== undefined) return faulted;
    const rejected = tokenError(request.query);
    if (rejected) return rejected;
    const { content, version, scene, openid } = fields(request.body);
    const valid = typeof content === 'string' && content.length <= 2_500 && version === 2 && [1, 2, 3, 4].includes(scene as number);
    if (!valid || typeof openid !== 'string' || openid === '') return errorAnswer(47001, 'data format error');
    const verdict = moderateText(content);
    return {
      errcode: 0,
      errmsg: 'ok',
      result: verdict,
      detail: [{ strategy: 'content_model', errcode: 0, ...verdict, prob: 90 }],
      trace_id: randomBytes(12).toString('hex'),
    };
  });

  // Plays the getPhoneNumber button: a one-time code for the user's phone number.
  app.post('/emulator/phone-code', async (request) => {
    const { user } = z.object({ user: userName.default('demo') }).parse(request.body ?? {});
    context.userNamed(user);
    dropExpired(phoneCodes, now());
    const code = randomBytes(32).toString('hex');
    phoneCodes.set(code, { user, expiresAt: now() + context.codeTtlMs, used: false });
    return { code };
  });

  // The next API call with the current access_token answers 40001 (see revoke for stillIssued).
  app.post('/emulator/access-token/revoke', async (request) => {
    const { stillIssued } = z.object({ stillIssued: z.boolean().default(false) }).parse(request.body ?? {});
    return { revoked: accessTokens.revoke(stillIssued) };
  });

  // Whether stable_token accepts our IP (40164 when not).
  app.post('/emulator/ip-whitelist', async (request) => {
    ({ whitelisted: ipWhitelisted } = z.object({ whitelisted: z.boolean() }).parse(request.body));
    return { ok: true };
  });

  return {
    issued: () => ({ accessTokens: accessTokens.issued(), phoneNumbers: [...phoneNumbers], phoneCodes: [...phoneCodes.keys()] }),
  };
}

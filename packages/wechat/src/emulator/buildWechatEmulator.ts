// A small server speaking WeChat's HTTP API for mini-program login (sns/jscode2session) and accounts
// (stable_token, getuserphonenumber, msg_sec_check: accountRoutes.ts) with WeChat's error codes, plus
// /emulator/* endpoints that play the mini-program side (wx.login, wx.getUserInfo, the phone button) and
// inject faults. It is what `npm start` uses without credentials, and what every test talks to.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { anonymousNickName, defaultAvatarUrl } from '../anonymousProfile.ts';
import { registerAccountRoutes } from './accountRoutes.ts';
import { dropExpired } from './dropExpired.ts';
import { emulatedOpenid, emulatedPhoneNumber, emulatedUnionid } from './emulatedIdentity.ts';
import type { EmulatedUser, EmulatorStats } from './emulatorContext.ts';
import { errorAnswer } from './errorAnswer.ts';
import { createFaultInjector, faultRequestSchema, type Fault } from './faults.ts';

export interface WechatEmulatorOptions {
  appid: string;
  secret: string;
  /** How long a minted code (login or phone number) stays valid (WeChat: 5 minutes). */
  codeTtlMs?: number;
  /** Code exchanges per user per minute before 45011. */
  loginsPerMinute?: number;
  /** Give users a unionid (as when the app is bound to an Open Platform account). */
  unionid?: boolean;
  now?: () => number;
}

interface MintedCode {
  user: string;
  sessionKey: string;
  expiresAt: number;
  used: boolean;
}

const userName = z.string().min(1).max(64);

export function buildWechatEmulator(options: WechatEmulatorOptions): FastifyInstance {
  const now = options.now ?? Date.now;
  const codeTtlMs = options.codeTtlMs ?? 5 * 60_000;
  const loginsPerMinute = options.loginsPerMinute ?? 100;
  const users = new Map<string, EmulatedUser>();
  const codes = new Map<string, MintedCode>();
  const faults = createFaultInjector();
  const stats: EmulatorStats = { exchangeRequests: 0, stableTokenRequests: 0, forceRefreshRequests: 0, phoneNumberRequests: 0, textCheckRequests: 0 };
  const issuedSessionKeys: string[] = [];

  const userNamed = (name: string): EmulatedUser => {
    let user = users.get(name);
    if (!user) {
      user = {
        openid: emulatedOpenid(options.appid, name),
        unionid: options.unionid === false ? null : emulatedUnionid(name),
        sessionKey: null,
        blocked: false,
        nickName: anonymousNickName,
        avatarUrl: defaultAvatarUrl,
        exchanges: [],
        countryCode: '86',
        purePhoneNumber: emulatedPhoneNumber(name),
        watermarkAppid: null,
      };
      users.set(name, user);
    }
    return user;
  };

  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addHook('preClose', async () => faults.releaseHanging());
  const accounts = registerAccountRoutes(app, { appid: options.appid, secret: options.secret, now, codeTtlMs, userNamed, faults, stats });

  app.get('/sns/jscode2session', async (request, reply) => {
    stats.exchangeRequests++;
    const faulted = await faults.play('jscode2session', reply);
    if (faulted !== undefined) return faulted;
    const query = request.query as Record<string, string | undefined>;
    if (!query.appid) return errorAnswer(41002, 'appid missing');
    if (query.appid !== options.appid) return errorAnswer(40013, 'invalid appid');
    if (!query.secret) return errorAnswer(41004, 'appsecret missing');
    if (query.secret !== options.secret) return errorAnswer(40125, 'invalid appsecret');
    if (query.grant_type !== 'authorization_code') return errorAnswer(40002, 'invalid grant_type');
    if (!query.js_code) return errorAnswer(41008, 'missing code');
    const minted = codes.get(query.js_code);
    if (!minted || minted.expiresAt <= now()) return errorAnswer(40029, 'invalid code');
    if (minted.used) return errorAnswer(40163, 'code been used');
    const user = userNamed(minted.user);
    if (user.blocked) return errorAnswer(40226, 'code blocked');
    user.exchanges = user.exchanges.filter((at) => at > now() - 60_000);
    if (user.exchanges.length >= loginsPerMinute) return errorAnswer(45011, 'api minute-quota reach limit mustslower retry next minute');
    user.exchanges.push(now());
    minted.used = true;
    // Like WeChat, success carries no errcode at all.
    return { session_key: minted.sessionKey, openid: user.openid, ...(user.unionid ? { unionid: user.unionid } : {}) };
  });

  // Plays wx.login: mints a one-time code for an emulated user.
  app.post('/emulator/wx-login', async (request) => {
    const body = z.object({ user: userName.default('demo'), sessionKey: z.base64().length(24).optional() }).parse(request.body ?? {});
    const user = userNamed(body.user);
    dropExpired(codes, now());
    const code = randomBytes(24).toString('base64url');
    const sessionKey = body.sessionKey ?? randomBytes(16).toString('base64');
    issuedSessionKeys.push(sessionKey);
    codes.set(code, { user: body.user, sessionKey, expiresAt: now() + codeTtlMs, used: false });
    // WeChat keeps one valid session_key per user, and wx.login rotates it: data signed from now on uses this one.
    user.sessionKey = sessionKey;
    return { code };
  });

  // Plays wx.getUserInfo: the profile, signed and encrypted with the user's current session_key.
  app.post('/emulator/wx-getuserinfo', async (request, reply) => {
    const { user: name } = z.object({ user: userName.default('demo') }).parse(request.body ?? {});
    const user = userNamed(name);
    if (!user.sessionKey) return reply.code(409).send({ error: 'call wx-login for this user first' });
    const userInfo = { nickName: user.nickName, avatarUrl: user.avatarUrl, gender: 0, language: 'zh_CN', city: '', province: '', country: '' };
    const rawData = JSON.stringify(userInfo);
    const plaintext = JSON.stringify({
      openId: user.openid,
      ...userInfo,
      ...(user.unionid ? { unionId: user.unionid } : {}),
      watermark: { timestamp: Math.floor(now() / 1000), appid: options.appid },
    });
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', Buffer.from(user.sessionKey, 'base64'), iv);
    return {
      userInfo,
      rawData,
      signature: createHash('sha1')
        .update(rawData + user.sessionKey)
        .digest('hex'),
      encryptedData: Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64'),
      iv: iv.toString('base64'),
    };
  });

  app.get('/emulator/users/:user', async (request) => {
    const { user: name } = z.object({ user: userName }).parse(request.params);
    const { exchanges: _, ...user } = userNamed(name);
    return user;
  });

  app.patch('/emulator/users/:user', async (request) => {
    const { user: name } = z.object({ user: userName }).parse(request.params);
    const patch = z
      .object({
        blocked: z.boolean(),
        nickName: z.string().max(64),
        avatarUrl: z.string().max(512),
        openid: z.string().min(1).max(64),
        unionid: z.string().min(1).max(64).nullable(), // null: jscode2session returns none
        countryCode: z.string().regex(/^\d{1,4}$/),
        purePhoneNumber: z.string().regex(/^\d{4,20}$/),
        watermarkAppid: z.string().min(1).max(64).nullable(),
      })
      .partial()
      .parse(request.body ?? {});
    Object.assign(userNamed(name), patch);
    return { ok: true };
  });

  // Fault injection: the next `count` requests to `endpoint` (default: all until cleared; jscode2session) get this fault.
  app.post('/emulator/faults', async (request) => {
    const { count, endpoint, ...fault } = faultRequestSchema.parse(request.body);
    faults.add(endpoint, fault as Fault, count);
    return { ok: true };
  });

  app.delete('/emulator/faults', async () => {
    faults.clear();
    return { ok: true };
  });

  app.get('/emulator/stats', async () => stats);

  // Everything secret the emulator handed out, so tests can prove none of it leaks.
  app.get('/emulator/issued', async () => ({
    sessionKeys: issuedSessionKeys,
    openids: [...users.values()].map((user) => user.openid),
    codes: [...codes.keys()],
    ...accounts.issued(),
  }));

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof z.ZodError) return reply.code(400).send({ error: z.prettifyError(error) });
    const { statusCode = 500, message } = error as Error & { statusCode?: number };
    return reply.code(statusCode).send({ error: message });
  });

  return app;
}

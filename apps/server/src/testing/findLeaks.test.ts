import { describe, expect, it } from 'vitest';
import { findLeaks } from './findLeaks.ts';

const token = `${'i'.repeat(20)}.${'s'.repeat(43)}`;
const clean = {
  logs: ['{"msg":"incoming request"}'],
  bodies: [`{"result":{"data":{"token":"${token}"}}}`],
  database: Buffer.from('nothing here'),
  sessionKeys: ['c2Vzc2lvbmtleTEyMzQ1Ng=='],
  openids: ['oABCDEFGHIJKLMNOPQRSTUVWXYZa'],
  wechatSecret: '0123456789abcdef0123456789abcdef',
};

describe('findLeaks (the scan every test server runs when it closes)', () => {
  it('passes a clean transcript', () => {
    expect(findLeaks(clean)).toEqual([]);
  });

  it('catches each kind of leak', () => {
    expect(findLeaks({ ...clean, logs: [clean.sessionKeys[0]!] })).toHaveLength(1);
    expect(findLeaks({ ...clean, bodies: [...clean.bodies, `{"x":"${clean.sessionKeys[0]}"}`] })).toHaveLength(1);
    expect(findLeaks({ ...clean, bodies: [...clean.bodies, `{"openid":"${clean.openids[0]}"}`] })).toHaveLength(1);
    expect(findLeaks({ ...clean, logs: [`Bearer ${token}`] })).toEqual([expect.stringMatching(/token is in a log/)]);
    expect(findLeaks({ ...clean, database: Buffer.from(token) })).toEqual([expect.stringMatching(/raw token is in the database/)]);
    expect(findLeaks({ ...clean, bodies: [...clean.bodies, clean.bodies[0]!] })).toEqual([expect.stringMatching(/in 2 responses/)]);
    expect(findLeaks({ ...clean, logs: [clean.wechatSecret] })).toEqual([expect.stringMatching(/WeChat secret/)]);
    expect(findLeaks({ ...clean, codes: ['0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P'], logs: ['{"input":"0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P"}'] })).toEqual([
      expect.stringMatching(/login code/),
    ]);
    const accessToken = 'ACCESS_TOKEN_0123456789abcdef';
    expect(findLeaks({ ...clean, accessTokens: [accessToken], logs: [accessToken] })).toEqual([expect.stringMatching(/access_token is in a log/)]);
    expect(findLeaks({ ...clean, accessTokens: [accessToken], bodies: [...clean.bodies, accessToken] })).toEqual([expect.stringMatching(/access_token is in a response/)]);
    expect(findLeaks({ ...clean, accessTokens: [accessToken], database: Buffer.from(accessToken) })).toEqual([]); // shared through the database by design
    expect(findLeaks({ ...clean, phoneNumbers: ['13800138000'], bodies: [...clean.bodies, '{"phone":"13800138000"}'] })).toEqual([
      expect.stringMatching(/full phone number is in a response/),
    ]);
    expect(findLeaks({ ...clean, phoneNumbers: ['13800138000'], logs: ['13800138000'] })).toEqual([expect.stringMatching(/full phone number is in a log/)]);
    expect(findLeaks({ ...clean, phoneNumbers: ['13800138000'], bodies: [...clean.bodies, '{"phone":"138****8000"}'] })).toEqual([]);
  });

  it('checks tokens whose responses it did not see (a spawned server’s) against the logs and the database', () => {
    const unseen = `${'u'.repeat(20)}.${'v'.repeat(43)}`;
    expect(findLeaks({ ...clean, tokens: [unseen] })).toEqual([]);
    expect(findLeaks({ ...clean, tokens: [unseen], logs: [`Bearer ${unseen}`] })).toEqual([expect.stringMatching(/token is in a log/)]);
    expect(findLeaks({ ...clean, tokens: [unseen], database: Buffer.from(unseen) })).toEqual([expect.stringMatching(/raw token is in the database/)]);
  });

  it('skips only the WeChat secret rule when the secret is unknown', () => {
    const { wechatSecret, ...unknownSecret } = clean;
    expect(findLeaks({ ...unknownSecret, logs: [wechatSecret] })).toEqual([]);
    expect(findLeaks({ ...unknownSecret, logs: [clean.sessionKeys[0]!] })).toHaveLength(1);
  });
});

import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptUserData, UserDataError, verifyRawDataSignature } from './userData.ts';

// WeChat's official sample (as reproduced in wechatpy tests/test_crypto.py, WxJava and node-easywechat).
const sample = {
  appid: 'wx4f4bc4dec97d474b',
  sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==',
  iv: 'r7BXXKkLb8qrSNn05n0qiA==',
  encryptedData:
    'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==',
  watermarkTime: new Date(1477314187 * 1000),
};

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserDataError) return error.reason;
    throw error;
  }
  return 'no error';
};

describe('decryptUserData', () => {
  it('decrypts the official sample', () => {
    const data = decryptUserData({ ...sample, maxAgeSeconds: 300, now: new Date(sample.watermarkTime.getTime() + 60_000) });
    expect(data).toMatchObject({
      openId: 'oGZUI0egBJY1zhBYw2KhdUfwVJJE',
      nickName: 'Band',
      unionId: 'ocMvos6NjeKLIBqg5Mr9QjxrP1FA',
      watermark: { timestamp: 1477314187, appid: 'wx4f4bc4dec97d474b' },
    });
  });

  it('rejects a watermark for another appid', () => {
    expect(reasonOf(() => decryptUserData({ ...sample, appid: 'wx0000000000000000', maxAgeSeconds: 300, now: sample.watermarkTime }))).toBe('USER_DATA_WATERMARK_MISMATCH');
  });

  it('rejects an old watermark (the sample is from 2016)', () => {
    expect(reasonOf(() => decryptUserData({ ...sample, maxAgeSeconds: 300, now: new Date('2026-01-01') }))).toBe('USER_DATA_EXPIRED');
    expect(reasonOf(() => decryptUserData({ ...sample, maxAgeSeconds: 300, now: new Date(sample.watermarkTime.getTime() - 3_600_000) }))).toBe('USER_DATA_EXPIRED');
  });

  it('rejects a wrong key, a wrong iv, a tampered body and a malformed iv', () => {
    const now = sample.watermarkTime;
    const otherKey = randomBytes(16).toString('base64');
    expect(reasonOf(() => decryptUserData({ ...sample, sessionKey: otherKey, maxAgeSeconds: 300, now }))).toBe('USER_DATA_DECRYPT_FAILED');
    expect(reasonOf(() => decryptUserData({ ...sample, iv: randomBytes(16).toString('base64'), maxAgeSeconds: 300, now }))).toBe('USER_DATA_DECRYPT_FAILED');
    expect(reasonOf(() => decryptUserData({ ...sample, encryptedData: sample.encryptedData.slice(0, 64), maxAgeSeconds: 300, now }))).toBe('USER_DATA_DECRYPT_FAILED');
    expect(reasonOf(() => decryptUserData({ ...sample, iv: 'AAAA', maxAgeSeconds: 300, now }))).toBe('USER_DATA_DECRYPT_FAILED');
  });

  it('rejects a decryptable body that is not an object with a watermark', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', key, iv);
    const encryptedData = Buffer.concat([cipher.update('42'), cipher.final()]).toString('base64');
    const input = { sessionKey: key.toString('base64'), iv: iv.toString('base64'), encryptedData, appid: sample.appid, maxAgeSeconds: 300, now: new Date() };
    expect(reasonOf(() => decryptUserData(input))).toBe('USER_DATA_DECRYPT_FAILED');
  });
});

describe('verifyRawDataSignature', () => {
  // The official rawData signature sample.
  const rawData =
    '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}';
  const sessionKey = 'HyVFkGl5F5OQWJZZaNzBBg==';
  const signature = '75e81ceda165f4ffa64f4068af58c64b8f54b88c';

  it('accepts the official sample', () => {
    expect(() => verifyRawDataSignature(rawData, signature, sessionKey)).not.toThrow();
  });

  it('rejects a changed rawData, a changed signature, another key and a malformed signature', () => {
    expect(reasonOf(() => verifyRawDataSignature(rawData.replace('Band', 'Bond'), signature, sessionKey))).toBe('USER_DATA_SIGNATURE_INVALID');
    expect(reasonOf(() => verifyRawDataSignature(rawData, signature.replace(/^7/, '8'), sessionKey))).toBe('USER_DATA_SIGNATURE_INVALID');
    expect(reasonOf(() => verifyRawDataSignature(rawData, signature, 'tiihtNczf5v6AKRyjwEUhQ=='))).toBe('USER_DATA_SIGNATURE_INVALID');
    expect(reasonOf(() => verifyRawDataSignature(rawData, 'zz', sessionKey))).toBe('USER_DATA_SIGNATURE_INVALID');
  });
});

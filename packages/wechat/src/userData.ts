import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

export type UserDataErrorReason = 'USER_DATA_DECRYPT_FAILED' | 'USER_DATA_WATERMARK_MISMATCH' | 'USER_DATA_EXPIRED' | 'USER_DATA_SIGNATURE_INVALID';

/** The encrypted or signed user data sent by the mini-program does not check out. */
export class UserDataError extends Error {
  override readonly name = 'UserDataError';
  constructor(
    readonly reason: UserDataErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface DecryptUserDataInput {
  sessionKey: string;
  encryptedData: string;
  iv: string;
  /** Our appid: the watermark must name it. */
  appid: string;
  /** Seconds the watermark timestamp may be old (and, for clock skew, ahead). */
  maxAgeSeconds: number;
  now: Date;
}

/**
 * Decrypts `encryptedData` from wx.getUserInfo / getUserProfile / getPhoneNumber (AES-128-CBC, PKCS#7) and
 * checks its watermark: it must name our appid and be recent.
 */
export function decryptUserData(input: DecryptUserDataInput): Record<string, unknown> {
  const key = Buffer.from(input.sessionKey, 'base64');
  const iv = Buffer.from(input.iv, 'base64');
  if (key.length !== 16 || iv.length !== 16) {
    throw new UserDataError('USER_DATA_DECRYPT_FAILED', 'iv must be 16 bytes of base64');
  }
  let data: unknown;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, iv);
    const plaintext = Buffer.concat([decipher.update(Buffer.from(input.encryptedData, 'base64')), decipher.final()]);
    data = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new UserDataError(
      'USER_DATA_DECRYPT_FAILED',
      'encryptedData could not be decrypted with this login: get it after wx.login, and do not call wx.login again before auth.login',
    );
  }
  if (typeof data !== 'object' || data === null) throw new UserDataError('USER_DATA_DECRYPT_FAILED', 'encryptedData is not a JSON object');
  const watermark = (data as { watermark?: { appid?: unknown; timestamp?: unknown } }).watermark;
  if (watermark?.appid !== input.appid) {
    throw new UserDataError('USER_DATA_WATERMARK_MISMATCH', 'encryptedData was issued for another mini-program');
  }
  const ageSeconds = input.now.getTime() / 1000 - Number(watermark.timestamp);
  if (!Number.isFinite(ageSeconds) || Math.abs(ageSeconds) > input.maxAgeSeconds) {
    throw new UserDataError('USER_DATA_EXPIRED', 'encryptedData is too old; get it again right before logging in');
  }
  return data as Record<string, unknown>;
}

/** Checks `signature = sha1(rawData + session_key)` from wx.getUserInfo, in constant time. */
export function verifyRawDataSignature(rawData: string, signature: string, sessionKey: string): void {
  const expected = createHash('sha1')
    .update(rawData + sessionKey)
    .digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UserDataError('USER_DATA_SIGNATURE_INVALID', 'rawData does not match its signature for this login');
  }
}

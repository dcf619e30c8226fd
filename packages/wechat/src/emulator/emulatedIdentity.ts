import { createHash } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

/** The stable openid the emulator gives an emulated user under an appid (28 characters, like WeChat's). */
export const emulatedOpenid = (appid: string, user: string) => `o${digest(`openid:${appid}:${user}`).slice(0, 27)}`;

/** The emulated user's unionid: the same under every appid, as with an Open Platform account. */
export const emulatedUnionid = (user: string) => `o${digest(`unionid:${user}`).slice(0, 27)}`;

/** The emulated user's mainland phone number: 138 and 8 digits. */
export const emulatedPhoneNumber = (user: string) => `138${String(createHash('sha256').update(`phone:${user}`).digest().readUInt32BE(0) % 100_000_000).padStart(8, '0')}`;

import { randomBytes } from 'node:crypto';

/** An error answer as WeChat writes it, with a request id in errmsg. */
export const errorAnswer = (errcode: number, errmsg: string) => ({ errcode, errmsg: `${errmsg}, rid: ${randomBytes(4).toString('hex')}` });

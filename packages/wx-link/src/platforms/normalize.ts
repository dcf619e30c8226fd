import type { PlatformFailure } from '../MiniProgramPlatform.ts';

/** The body as text: platforms that parse JSON despite a text dataType hand back an object. */
export const bodyText = (data: unknown): string => (typeof data === 'string' ? data : data === undefined || data === null ? '' : JSON.stringify(data));

/** Any platform's failure object: `errMsg` (wx, tt, swan, qq, uni, Taro), `errorMessage` + `error` (Alipay), `errCode` (Baidu), `errNo` (Douyin). */
export function toFailure(error: unknown): PlatformFailure {
  const fields = (error ?? {}) as { errMsg?: unknown; errorMessage?: unknown; message?: unknown; errCode?: unknown; errNo?: unknown; error?: unknown };
  const message = String(fields.errMsg ?? fields.errorMessage ?? fields.message ?? 'request:fail');
  const code = fields.errCode ?? fields.errNo ?? fields.error;
  return { message, ...(typeof code === 'number' || typeof code === 'string' ? { code } : {}), timeout: /time[d ]?out|超时/i.test(message) };
}

/** What the storage APIs answer for a missing key ('' on wx and its copies, null or undefined elsewhere) becomes null. */
export const storedOrNull = (value: unknown): unknown => (value === '' || value === undefined ? null : value);

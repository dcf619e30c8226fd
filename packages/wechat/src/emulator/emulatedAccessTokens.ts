import { randomBytes } from 'node:crypto';
import { errorAnswer } from './errorAnswer.ts';

const lifetimeMs = 7_200_000;
/** After a force refresh the previous token keeps working this long, as WeChat documents. */
const overlapMs = 5 * 60_000;
const forceRefreshesPerDay = 20;
const forceRefreshGapMs = 30_000;
const beijingDay = (at: number) => Math.floor((at + 8 * 3_600_000) / 86_400_000);

interface IssuedToken {
  expiresAt: number;
  /** Revoked, or replaced by a force refresh: 40001 from then on. */
  invalidFrom: number | null;
}

/** The access_tokens of stable_token: one current token per appid, rotated at expiry or by a force refresh. */
export function createEmulatedAccessTokens(now: () => number) {
  const tokens = new Map<string, IssuedToken>();
  let current: string | null = null;
  const forced = { day: -1, count: 0, lastAt: -Infinity };

  const mint = () => {
    const token = randomBytes(60).toString('base64url');
    tokens.set(token, { expiresAt: now() + lifetimeMs, invalidFrom: null });
    current = token;
    return token;
  };
  const answer = (token: string) => ({ access_token: token, expires_in: Math.floor((tokens.get(token)!.expiresAt - now()) / 1000) });

  return {
    /** Every token handed out, for the leak scanner. */
    issued: () => [...tokens.keys()],

    /** stable_token once the credentials checked out: normal mode hands back the current token until it expires. */
    stableToken(forceRefresh: boolean) {
      if (!forceRefresh) {
        const valid = current !== null && tokens.get(current)!.expiresAt - now() >= 1_000;
        return answer(valid ? current! : mint());
      }
      const at = now();
      if (forced.day !== beijingDay(at)) Object.assign(forced, { day: beijingDay(at), count: 0 });
      if (forced.count >= forceRefreshesPerDay) return errorAnswer(45009, 'reach max api daily quota limit');
      if (at - forced.lastAt < forceRefreshGapMs) return errorAnswer(45011, 'api minute-quota reach limit mustslower retry next minute');
      Object.assign(forced, { count: forced.count + 1, lastAt: at });
      const previous = current === null ? undefined : tokens.get(current);
      if (previous) previous.invalidFrom = Math.min(previous.invalidFrom ?? Infinity, at + overlapMs);
      return answer(mint());
    },

    /** 0 when `token` may call an API, else WeChat's errcode: 41001 missing, 40001 unknown or revoked, 42001 expired. */
    check(token: string | undefined): number {
      if (!token) return 41001;
      const issued = tokens.get(token);
      if (!issued || (issued.invalidFrom !== null && issued.invalidFrom <= now())) return 40001;
      return issued.expiresAt <= now() ? 42001 : 0;
    },

    /**
     * Invalidates the current token at once (APIs answer 40001). Normal mode then makes a new one, unless
     * `stillIssued`: it keeps handing out the revoked token (as WeChat sometimes does) until a force refresh.
     */
    revoke(stillIssued: boolean): boolean {
      const issued = current === null ? undefined : tokens.get(current);
      if (!issued) return false;
      issued.invalidFrom = now();
      if (!stillIssued) current = null;
      return true;
    },
  };
}

export type EmulatedAccessTokens = ReturnType<typeof createEmulatedAccessTokens>;

import type { FaultInjector } from './faults.ts';

export interface EmulatedUser {
  openid: string;
  unionid: string | null;
  sessionKey: string | null;
  blocked: boolean;
  nickName: string;
  avatarUrl: string;
  exchanges: number[];
  countryCode: string;
  purePhoneNumber: string;
  /** The appid in getuserphonenumber's watermark when a test wants another than the emulator's. */
  watermarkAppid: string | null;
}

/** Requests per endpoint (and stable_token's force mode), counted before any fault; GET /emulator/stats. */
export interface EmulatorStats {
  exchangeRequests: number;
  stableTokenRequests: number;
  forceRefreshRequests: number;
  phoneNumberRequests: number;
  textCheckRequests: number;
}

/** What the emulator's route modules share. */
export interface EmulatorContext {
  appid: string;
  secret: string;
  now: () => number;
  /** How long a minted code (login or phone) stays valid. */
  codeTtlMs: number;
  userNamed(name: string): EmulatedUser;
  faults: FaultInjector;
  stats: EmulatorStats;
}

import type { Db } from '@wxtrpc/db';
import { ApiError } from '../ApiError.ts';
import { maskPhone } from './maskPhone.ts';

export interface Account {
  id: string;
  nickName: string | null;
  avatarUrl: string | null;
  /** Masked: `138****8000`. */
  phone: string | null;
  phoneCountryCode: string | null;
}

export const accountSelect = { id: true, nickName: true, avatarUrl: true, avatarId: true, phoneNumber: true, phoneCountryCode: true } as const;

type AccountRow = { id: string; nickName: string | null; avatarUrl: string | null; avatarId: string | null; phoneNumber: string | null; phoneCountryCode: string | null };

/** Where an uploaded avatar is served: absolute, from PUBLIC_BASE_URL or the request's own origin. */
export const avatarUrlOf = (baseUrl: string, avatarId: string) => `${baseUrl.replace(/\/$/, '')}/avatars/${avatarId}`;

/** The account as the wire shows it: an uploaded avatar wins over one from login data; the phone masked. */
export function toAccount(row: AccountRow, baseUrl: string): Account {
  return {
    id: row.id,
    nickName: row.nickName,
    avatarUrl: row.avatarId ? avatarUrlOf(baseUrl, row.avatarId) : row.avatarUrl,
    phone: row.phoneNumber ? maskPhone(row.phoneNumber) : null,
    phoneCountryCode: row.phoneCountryCode,
  };
}

export async function getAccount(db: Db, userId: string, baseUrl: string): Promise<Account> {
  const row = await db.user.findUnique({ where: { id: userId }, select: accountSelect });
  if (!row) throw new ApiError('UNAUTHORIZED', 'SESSION_INVALID', 'Log in first: the session is missing, unknown or expired');
  return toAccount(row, baseUrl);
}

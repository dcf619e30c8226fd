import { hash } from 'node:crypto';
import { ApiError } from '../ApiError.ts';

/** The position after which the next page starts: the last item's (createdAt, id). */
export interface OrderCursor {
  createdAt: Date;
  id: string;
}

// The cursor is opaque to clients: "<createdAt ms>.<id>.<check>", base64url. The check ties it to the user
// it was issued to, so a cursor that was edited or taken from someone else is refused. It is not a secret:
// every query is scoped to the session's user anyway, so no cursor can reach another user's rows.
const check = (userId: string, payload: string) => hash('sha256', `${userId}\n${payload}`, 'base64url').slice(0, 12);

export function encodeOrderCursor(userId: string, cursor: OrderCursor): string {
  const payload = `${cursor.createdAt.getTime()}.${cursor.id}`;
  return Buffer.from(`${payload}.${check(userId, payload)}`).toString('base64url');
}

const invalid = () => new ApiError('BAD_REQUEST', 'CURSOR_INVALID', 'cursor is not one this server issued for this user; start again without a cursor');

export function decodeOrderCursor(userId: string, encoded: string): OrderCursor {
  const decoded = Buffer.from(encoded, 'base64url').toString('latin1');
  // Node's base64 decoder skips stray characters; only the canonical encoding is accepted.
  if (Buffer.from(decoded, 'latin1').toString('base64url') !== encoded) throw invalid();
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{12})$/.exec(decoded);
  if (!match || check(userId, `${match[1]}.${match[2]}`) !== match[3]) throw invalid();
  const createdAt = new Date(Number(match[1]));
  if (Number.isNaN(createdAt.getTime())) throw invalid();
  return { createdAt, id: match[2]! };
}

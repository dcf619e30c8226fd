import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type Db } from '@wxtrpc/db';
import type { ApiMetrics } from '../ApiMetrics.ts';
import { ApiError } from '../ApiError.ts';
import { accountSelect } from '../accounts/getAccount.ts';
import type { NewSession, SessionService } from '../sessions/createSessionService.ts';

export interface LoginWrite {
  openid: string;
  /** From jscode2session only, never from client-sent data. */
  unionid: string | null;
  sessionKey: string;
  /** Verified login data: written only into fields that are still empty. */
  profile: { nickName?: string | undefined; avatarUrl?: string | undefined };
  now: Date;
  session: NewSession;
}

// Under load a login waits its turn for SQLite's one writer (or a pooled connection) longer than Prisma's 2 s default.
const transactionOptions = { maxWait: 10_000, timeout: 10_000 };

const unionidConflict = () => new ApiError('CONFLICT', 'UNIONID_CONFLICT', 'This WeChat account’s unionid already belongs to another user');

/**
 * Writes a login in one transaction: upserts the user (latest session_key, profile) with the new session,
 * and ends the user's oldest sessions past the cap. A unionid another user holds fails the upsert on its
 * unique index (no lookup before it). On PostgreSQL the upsert's update locks the user row, so concurrent
 * logins of one user take turns and the cap holds; a refusal or any failure writes nothing.
 */
export async function upsertUserWithSession(db: Db, sessions: SessionService, metrics: ApiMetrics, { openid, unionid, sessionKey, profile, now, session }: LoginWrite) {
  // Every object handed to Prisma is written out: `{ ...a, b }` would give each one a hidden class of its own,
  // which Prisma's argument handling then reads slowly (docs/benchmarks.md). Undefined fields are not written.
  const { nickName, avatarUrl } = profile;
  const sessionRow = (userId: string) => ({
    id: session.id,
    secretHash: session.secretHash,
    userId,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    lastUsedAt: session.createdAt,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      const { user, ended } = await db.$transaction(async (tx) => {
        // Login data only fills profile fields that are still empty: what the user set stays.
        const stored = nickName !== undefined || avatarUrl !== undefined ? await tx.user.findUnique({ where: { openid }, select: { nickName: true, avatarUrl: true } }) : null;
        // Written as one native upsert, one insert and one indexed count: Prisma turns a nested session create
        // with a _count into five statements, one of them counting every user's sessions.
        const user = await tx.user.upsert({
          where: { openid },
          create: { id: randomUUID(), openid, unionid, sessionKey, nickName, avatarUrl, createdAt: now },
          update: {
            sessionKey,
            nickName: stored?.nickName == null ? nickName : undefined,
            avatarUrl: stored?.avatarUrl == null ? avatarUrl : undefined,
            unionid: unionid || undefined,
          },
          select: accountSelect,
        });
        await tx.session.create({ data: sessionRow(user.id), select: { id: true } });
        const count = await tx.session.count({ where: { userId: user.id } });
        const ended = count > sessions.maxPerUser ? await sessions.endOldest(tx, user.id, session.id) : 0;
        return { user, ended };
      }, transactionOptions);
      metrics.sessionsCreated(1);
      if (ended > 0) metrics.sessionsEnded('cap', ended);
      return user;
    } catch (error) {
      // Another user holds the unionid.
      if (isUniqueViolation(error, 'User', 'unionid')) throw unionidConflict();
      // Two first logins of one user at once both tried to insert it (PostgreSQL); the loser retries and updates.
      if (!isUniqueViolation(error, 'User', 'openid') || attempt >= 3) throw error;
    }
  }
}

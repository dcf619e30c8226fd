// Reference 1 for logins, "the practical limit": Fastify answering POST /trpc/auth.login with the work a login
// needs and nothing else (no tRPC, no validation library, no Prisma): jscode2session over HTTP to WeChat (the
// emulator) on a keep-alive agent, then one better-sqlite3 transaction of prepared statements that upserts
// the user (latest session_key), inserts the session (SHA-256 of a 256-bit random secret) and ends the
// user's oldest sessions past 20, and the same JSON answer as tRPC's.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import Sqlite from 'better-sqlite3';
import Fastify from 'fastify';

const file = process.env.DATABASE_FILE!;
const appid = process.env.WECHAT_APPID!;
const secret = process.env.WECHAT_SECRET!;
const wechatBase = new URL(process.env.WECHAT_API_BASE_URL!);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const day = 86_400_000;
const maxSessionsPerUser = 20;

const db = new Sqlite(file);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 10000');
// Dates as epoch ms, as Prisma's SQLite adapter stores them.
const upsertUser = db.prepare<[string, string, string | null, string, number, number], { id: string; nickName: string | null; avatarUrl: string | null }>(
  `INSERT INTO "User" (id, openid, unionid, sessionKey, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)
   ON CONFLICT (openid) DO UPDATE SET sessionKey = excluded.sessionKey, unionid = coalesce(excluded.unionid, unionid), updatedAt = excluded.updatedAt
   RETURNING id, nickName, avatarUrl`,
);
const insertSession = db.prepare('INSERT INTO "Session" (id, secretHash, userId, createdAt, expiresAt, lastUsedAt) VALUES (?, ?, ?, ?, ?, ?)');
const countSessions = db.prepare<[string], number>('SELECT count(*) FROM "Session" WHERE userId = ?').pluck();
const endOldest = db.prepare('DELETE FROM "Session" WHERE id IN (SELECT id FROM "Session" WHERE userId = ? AND id <> ? ORDER BY createdAt ASC LIMIT ?)');
const writeLogin = db.transaction((openid: string, unionid: string | null, sessionKey: string, sessionId: string, secretHash: Buffer, now: number) => {
  const user = upsertUser.get(randomUUID(), openid, unionid, sessionKey, now, now)!;
  insertSession.run(sessionId, secretHash, user.id, now, now + 30 * day, now);
  const count = countSessions.get(user.id)!;
  if (count > maxSessionsPerUser) endOldest.run(user.id, sessionId, count - maxSessionsPerUser);
  return user;
});

function code2Session(code: string): Promise<{ openid?: string; session_key?: string; unionid?: string; errcode?: number }> {
  const url = new URL('sns/jscode2session', wechatBase);
  url.search = new URLSearchParams({ appid, secret, js_code: code, grant_type: 'authorization_code' }).toString();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

const app = Fastify();
app.get('/trpc/auth.check', async () => ({ result: { data: { valid: false, expiresAt: null } } })); // the bench's readiness probe
app.post<{ Body: { code?: unknown } }>('/trpc/auth.login', async (request, reply) => {
  const code = request.body?.code;
  if (typeof code !== 'string' || code === '') return reply.code(400).send({ error: { message: 'BAD_REQUEST' } });
  const answer = await code2Session(code);
  if (answer.errcode || !answer.openid || !answer.session_key) return reply.code(400).send({ error: { message: 'WECHAT_CODE_INVALID' } });
  const id = randomBytes(15).toString('base64url');
  const tokenSecret = randomBytes(32).toString('base64url');
  const now = Date.now();
  const user = writeLogin(answer.openid, answer.unionid || null, answer.session_key, id, createHash('sha256').update(tokenSecret).digest(), now);
  return { result: { data: { token: `${id}.${tokenSecret}`, expiresAt: new Date(now + 30 * day).toISOString(), user } } };
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');

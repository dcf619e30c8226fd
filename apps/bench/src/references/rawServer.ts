// Reference 1, "the practical limit": Fastify and one prepared better-sqlite3 statement per route, answering
// auth.check and order.list with the same JSON as tRPC would, and nothing else (no validation, no tRPC).
import { createHash, timingSafeEqual } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import Fastify from 'fastify';

const file = process.env.DATABASE_FILE!;
const db = new Sqlite(file, { readonly: true });
const findSession = db.prepare<[string], { secretHash: Buffer; expiresAt: number; userId: string }>('SELECT secretHash, expiresAt, userId FROM "Session" WHERE id = ?');
const firstPage = db.prepare('SELECT id, title, totalFen, status, createdAt FROM "Order" WHERE userId = ? ORDER BY createdAt DESC, id DESC LIMIT ?');
const nextPage = db.prepare(
  'SELECT id, title, totalFen, status, createdAt FROM "Order" WHERE userId = ? AND createdAt <= ? AND (createdAt < ? OR id < ?) ORDER BY createdAt DESC, id DESC LIMIT ?',
);

function session(authorization: string | undefined) {
  const [id, secret] = (authorization ?? '').slice(7).split('.');
  if (!id || !secret) return null;
  const row = findSession.get(id);
  if (!row || row.expiresAt <= Date.now()) return null;
  const hash = createHash('sha256').update(secret).digest();
  return timingSafeEqual(hash, row.secretHash) ? row : null;
}

const app = Fastify();
app.get('/trpc/auth.check', async (request) => {
  const row = session(request.headers.authorization);
  return { result: { data: { valid: row !== null, expiresAt: row ? new Date(row.expiresAt).toISOString() : null } } };
});
app.get<{ Querystring: { cursor?: string } }>('/trpc/order.list', async (request, reply) => {
  const row = session(request.headers.authorization);
  if (!row) return reply.code(401).send({ error: { message: 'UNAUTHORIZED' } });
  const limit = 10;
  let rows: { id: string; title: string; totalFen: number; status: string; createdAt: number }[];
  if (request.query.cursor) {
    const dot = request.query.cursor.indexOf('.');
    const at = Number(request.query.cursor.slice(0, dot));
    rows = nextPage.all(row.userId, at, at, request.query.cursor.slice(dot + 1), limit + 1) as typeof rows;
  } else {
    rows = firstPage.all(row.userId, limit + 1) as typeof rows;
  }
  const items = rows.slice(0, limit).map((o) => ({ ...o, createdAt: new Date(o.createdAt).toISOString() }));
  const last = rows.length > limit ? items.at(-1) : undefined;
  return { result: { data: { items, nextCursor: last ? `${Date.parse(last.createdAt)}.${last.id}` : null } } };
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');

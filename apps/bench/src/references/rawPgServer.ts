// Reference 1 on PostgreSQL, "the practical limit": Fastify and one named prepared statement per route over
// one node-postgres pool (as many connections as the product's default pool), answering auth.check and
// order.list with the same JSON as tRPC would, and nothing else (no validation, no tRPC, no Prisma).
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

// Prisma writes UTC into `timestamp` columns; read them back as UTC (this process only).
pg.types.setTypeParser(1114, (value: string) => new Date(`${value.replace(' ', 'T')}Z`));

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const findSession = {
  name: 'raw_find_session',
  text: 'SELECT "secretHash", "expiresAt", "userId" FROM "Session" WHERE id = $1',
};
const columns = 'id, title, "totalFen", status, "createdAt"';
const firstPage = {
  name: 'raw_first_page',
  text: `SELECT ${columns} FROM "Order" WHERE "userId" = $1 ORDER BY "createdAt" DESC, id DESC LIMIT $2`,
};
// Row comparison: PostgreSQL walks the (userId, createdAt DESC, id DESC) index from the cursor on.
const nextPage = {
  name: 'raw_next_page',
  text: `SELECT ${columns} FROM "Order" WHERE "userId" = $1 AND ("createdAt", id) < ($2::timestamp(3), $3) ORDER BY "createdAt" DESC, id DESC LIMIT $4`,
};

interface SessionRow {
  secretHash: Buffer;
  expiresAt: Date;
  userId: string;
}

async function session(authorization: string | undefined) {
  const [id, secret] = (authorization ?? '').slice(7).split('.');
  if (!id || !secret) return null;
  const row = (await pool.query<SessionRow>({ ...findSession, values: [id] })).rows[0];
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  const hash = createHash('sha256').update(secret).digest();
  return timingSafeEqual(hash, row.secretHash) ? row : null;
}

const app = Fastify();
app.get('/trpc/auth.check', async (request) => {
  const row = await session(request.headers.authorization);
  return { result: { data: { valid: row !== null, expiresAt: row ? row.expiresAt.toISOString() : null } } };
});
app.get<{ Querystring: { cursor?: string } }>('/trpc/order.list', async (request, reply) => {
  const row = await session(request.headers.authorization);
  if (!row) return reply.code(401).send({ error: { message: 'UNAUTHORIZED' } });
  const limit = 10;
  let rows: { id: string; title: string; totalFen: number; status: string; createdAt: Date }[];
  if (request.query.cursor) {
    const dot = request.query.cursor.indexOf('.');
    // An ISO string with Z: PostgreSQL reads it into `timestamp` as the UTC wall time Prisma wrote.
    const at = new Date(Number(request.query.cursor.slice(0, dot))).toISOString();
    rows = (await pool.query({ ...nextPage, values: [row.userId, at, request.query.cursor.slice(dot + 1), limit + 1] })).rows;
  } else {
    rows = (await pool.query({ ...firstPage, values: [row.userId, limit + 1] })).rows;
  }
  const items = rows.slice(0, limit).map((o) => ({ ...o, createdAt: o.createdAt.toISOString() }));
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { result: { data: { items, nextCursor: last ? `${last.createdAt.getTime()}.${last.id}` : null } } };
});
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');

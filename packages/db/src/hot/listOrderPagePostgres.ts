import type pg from 'pg';
import type { OrderStatus } from '../generated/prisma/client.ts';
import type { ListOrderPage } from './listOrderPage.ts';
import { prismaCompatibleTypes } from './postgresTypes.ts';

interface Row {
  id: string;
  title: string;
  totalFen: number;
  status: OrderStatus;
  createdAt: Date;
}

const select = 'SELECT id, title, "totalFen", status, "createdAt" FROM "Order"';
const order = 'ORDER BY "createdAt" DESC, id DESC LIMIT';
// The row comparison is one index condition on (userId, [status,] createdAt DESC, id DESC).
const statements = {
  firstPage: `${select} WHERE "userId" = $1 ${order} $2`,
  nextPage: `${select} WHERE "userId" = $1 AND ("createdAt", id) < ($2, $3) ${order} $4`,
  firstPageByStatus: `${select} WHERE "userId" = $1 AND status = $2::"OrderStatus" ${order} $3`,
  nextPageByStatus: `${select} WHERE "userId" = $1 AND status = $2::"OrderStatus" AND ("createdAt", id) < ($3, $4) ${order} $5`,
};

/** A timestamp as Prisma stores it: UTC, in a column without a time zone (pg would send the local offset). */
const utcTimestamp = (at: Date) => at.toISOString().slice(0, -1);

/** listOrderPagePrisma as four named prepared statements (parsed and planned once per connection). */
export function listOrderPagePostgres(pool: pg.Pool): ListOrderPage {
  const run = async (name: keyof typeof statements, values: unknown[]) =>
    (await pool.query<Row>({ name: `wxtrpc_order_${name}`, text: statements[name], values, types: prismaCompatibleTypes })).rows;
  return async ({ userId, take, after, status }) => {
    if (after) {
      const cursor = [utcTimestamp(after.createdAt), after.id];
      return status ? run('nextPageByStatus', [userId, status, ...cursor, take]) : run('nextPage', [userId, ...cursor, take]);
    }
    return status ? run('firstPageByStatus', [userId, status, take]) : run('firstPage', [userId, take]);
  };
}

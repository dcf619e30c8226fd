import type Sqlite from 'better-sqlite3';
import type { OrderStatus } from '../generated/prisma/client.ts';
import type { ListOrderPage } from './listOrderPage.ts';

/** The selected columns, in order: rows come back as arrays (see below). */
type Row = [id: string, title: string, totalFen: number, status: OrderStatus, createdAt: number];

const select = 'SELECT id, title, totalFen, status, createdAt FROM "Order"';
// `+?`, not `?`: the SQLite here (3.53) plans with the value bound to a bare LIMIT parameter, so binding one expires the
// statement and every run parsed and planned it again (perf: sqlite3Reprepare, over a third of sqlite3_step).
// A unary plus is not read at planning: 11-row page in-process 22.9 -> 16.9 µs, deep page 25.6 -> 17.7 µs.
const order = 'ORDER BY createdAt DESC, id DESC LIMIT +?';

/**
 * The four statements. The keyset condition is the row value `(createdAt, id) < (c, i)`: one range on the
 * (userId, [status,] createdAt DESC, id DESC) index (hotQueries.test.ts checks each plan), ~1 µs cheaper per
 * deep page than `createdAt <= c AND (createdAt < c OR id < i)` (the Prisma twin's form, also one range), where
 * the textbook `createdAt < c OR (createdAt = c AND id < i)` makes SQLite merge two scans and sort (~30x slower).
 */
export const orderPageSql = {
  firstPage: `${select} WHERE userId = ? ${order}`,
  nextPage: `${select} WHERE userId = ? AND (createdAt, id) < (?, ?) ${order}`,
  firstPageByStatus: `${select} WHERE userId = ? AND status = ? ${order}`,
  nextPageByStatus: `${select} WHERE userId = ? AND status = ? AND (createdAt, id) < (?, ?) ${order}`,
};

/**
 * listOrderPagePrisma as four prepared statements on the read-only connection. Rows come back as arrays: for
 * object rows better-sqlite3 looks up every column name of every row in V8's string table, ~5 µs of a ~29 µs
 * 11-row page (measured in-process).
 */
export function listOrderPageSqlite(reader: Sqlite.Database): ListOrderPage {
  const firstPage = reader.prepare<[string, number], Row>(orderPageSql.firstPage).raw(true);
  const nextPage = reader.prepare<[string, number, string, number], Row>(orderPageSql.nextPage).raw(true);
  const firstPageByStatus = reader.prepare<[string, string, number], Row>(orderPageSql.firstPageByStatus).raw(true);
  const nextPageByStatus = reader.prepare<[string, string, number, string, number], Row>(orderPageSql.nextPageByStatus).raw(true);
  return async ({ userId, take, after, status }) => {
    let rows: Row[];
    if (after) {
      const at = after.createdAt.getTime();
      rows = status ? nextPageByStatus.all(userId, status, at, after.id, take) : nextPage.all(userId, at, after.id, take);
    } else {
      rows = status ? firstPageByStatus.all(userId, status, take) : firstPage.all(userId, take);
    }
    return rows.map(([id, title, totalFen, rowStatus, createdAt]) => ({ id, title, totalFen, status: rowStatus, createdAt: new Date(createdAt) }));
  };
}

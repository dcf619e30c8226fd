import { randomBytes, randomUUID } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { orderItemRows, orderRow, orderStatuses, userRow } from './factory.ts';
import { prepareBulkInsert } from './sqliteBulkInsert.ts';

export interface LargeDatasetOptions {
  users: number;
  orders: number;
  /** Orders of user 0, the "heavy" user; the rest are spread over the other users. */
  heavyUserOrders: number;
  /** Orders are spread over this many days before `now`. */
  days?: number;
  now?: number;
  onProgress?: (inserted: number) => void;
}

export interface LargeDatasetResult {
  userIds: string[];
  heavyUserId: string;
  orders: number;
  items: number;
  ms: number;
}

/** A UUIDv7 (RFC 9562) for the given time: ids sort by creation time, and are valid order ids. */
function timeOrderedUuid(ms: number): string {
  const time = ms.toString(16).padStart(12, '0');
  const random = randomBytes(9).toString('hex');
  const variant = '89ab'[randomBytes(1)[0]! & 3];
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(0, 3)}-${variant}${random.slice(3, 6)}-${random.slice(6)}`;
}

const statuses = [...orderStatuses, 'COMPLETED', 'COMPLETED'] as const;
const batchSize = 50_000;

/**
 * Fills an already-migrated SQLite database with users, orders and 1-3 items per order for benchmarks.
 * Rows come from the factory's row builders and are written with prepared statements in large
 * transactions: Prisma's createMany would take minutes for a million rows.
 */
export function seedLargeDataset(file: string, options: LargeDatasetOptions): LargeDatasetResult {
  if (options.users < 2 && options.orders > options.heavyUserOrders) throw new Error('need at least 2 users for orders beyond the heavy user');
  const started = performance.now();
  const now = options.now ?? Date.now();
  const spanMs = (options.days ?? 730) * 24 * 3_600_000;
  const sqlite = new Sqlite(file);
  // A seed that dies half-way is simply run again, so it writes without a journal and with a large cache.
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');

  const users = Array.from({ length: options.users }, (_, n) =>
    userRow({ openid: `seed-openid-${n}-${randomUUID()}`, nickName: `用户${n}`, createdAt: new Date(now - spanMs), updatedAt: new Date(now) }),
  );
  const insertUser = prepareBulkInsert(sqlite, 'User', userRow());
  sqlite.transaction(() => users.forEach(insertUser))();

  const insertOrder = prepareBulkInsert(sqlite, 'Order', orderRow(''));
  const insertItem = prepareBulkInsert(sqlite, 'OrderItem', orderItemRows(orderRow(''))[0]!);
  // Rows go in oldest first with time-ordered ids (like UUIDv7), so every index grows at its end.
  const createdAts = Float64Array.from({ length: options.orders }, () => now - Math.floor(Math.random() * spanMs)).sort();
  const heavyShare = options.orders === 0 ? 0 : options.heavyUserOrders / options.orders;
  let inserted = 0;
  let items = 0;
  let heavyLeft = options.heavyUserOrders;
  const others = options.users - 1;
  const writeBatch = sqlite.transaction((count: number) => {
    for (let i = 0; i < count; i++, inserted++) {
      const left = options.orders - inserted;
      const heavy = heavyLeft > 0 && (heavyLeft >= left || Math.random() < heavyShare);
      if (heavy) heavyLeft--;
      const createdAt = createdAts[inserted]!;
      const order = orderRow(heavy ? users[0]!.id : users[1 + (inserted % others)]!.id, {
        id: timeOrderedUuid(createdAt),
        title: `商品 #${inserted}`,
        totalFen: 100 + ((inserted * 7919) % 99_900),
        status: statuses[inserted % statuses.length],
        createdAt: new Date(createdAt),
      });
      insertOrder(order);
      for (const item of orderItemRows(order, 1 + (inserted % 3))) {
        insertItem(item);
        items++;
      }
    }
  });
  // Secondary indexes are built once at the end (much faster than maintaining them row by row).
  const indexes = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('Order', 'OrderItem') AND sql IS NOT NULL`).all() as {
    name: string;
    sql: string;
  }[];
  for (const { name } of indexes) sqlite.exec(`DROP INDEX "${name}"`);
  while (inserted < options.orders) {
    writeBatch(Math.min(batchSize, options.orders - inserted));
    options.onProgress?.(inserted);
  }
  for (const { sql } of indexes) sqlite.exec(sql);
  sqlite.pragma('optimize');
  sqlite.pragma('journal_mode = WAL');
  sqlite.close();
  const userIds = users.map((user) => user.id);
  return { userIds, heavyUserId: userIds[0]!, orders: inserted, items, ms: performance.now() - started };
}

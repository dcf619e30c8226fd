import { randomBytes, randomUUID } from 'node:crypto';
import Sqlite from 'better-sqlite3';

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
  ms: number;
}

const statuses = ['PENDING', 'PAID', 'SHIPPED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'CANCELLED'] as const;
const batchSize = 50_000;

/**
 * Fills an already-migrated database with users and orders for benchmarks. It writes through one
 * prepared better-sqlite3 statement in large transactions: Prisma's createMany would take minutes for a million rows.
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
  const insertUser = sqlite.prepare('INSERT INTO "User" (id, openid, sessionKey, nickName, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)');
  const insertOrder = sqlite.prepare('INSERT INTO "Order" (id, userId, title, totalFen, status, createdAt) VALUES (?, ?, ?, ?, ?, ?)');

  const userIds = Array.from({ length: options.users }, () => randomUUID());
  sqlite.transaction(() => {
    userIds.forEach((id, n) => insertUser.run(id, `seed-openid-${n}-${id}`, '', `用户${n}`, now - spanMs, now));
  })();

  // Rows go in oldest first with time-ordered ids (like UUIDv7), so every index grows at its end.
  const createdAts = Float64Array.from({ length: options.orders }, () => now - Math.floor(Math.random() * spanMs)).sort();
  const heavyShare = options.orders === 0 ? 0 : options.heavyUserOrders / options.orders;
  let inserted = 0;
  let heavyLeft = options.heavyUserOrders;
  const others = options.users - 1;
  const writeBatch = sqlite.transaction((count: number) => {
    for (let i = 0; i < count; i++, inserted++) {
      const left = options.orders - inserted;
      const heavy = heavyLeft > 0 && (heavyLeft >= left || Math.random() < heavyShare);
      if (heavy) heavyLeft--;
      const userId = heavy ? userIds[0]! : userIds[1 + (inserted % others)]!;
      const createdAt = createdAts[inserted]!;
      const id = `${createdAt.toString(16).padStart(12, '0')}-${randomBytes(10).toString('hex')}`;
      insertOrder.run(id, userId, `商品 #${inserted}`, 100 + ((inserted * 7919) % 99_900), statuses[inserted % statuses.length], createdAt);
    }
  });
  // Secondary indexes are built once at the end (much faster than maintaining them row by row).
  const indexes = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Order' AND sql IS NOT NULL`).all() as {
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
  return { userIds, heavyUserId: userIds[0]!, orders: inserted, ms: performance.now() - started };
}

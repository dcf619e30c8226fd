// The benchmark database: the orders seed (1,000,000 orders over 10,000 users, one with 100,000) plus
// sessions, built once per size under data/bench/ and reused. Tokens of a few sessions are kept for the load.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { encodeOrderCursor, generateSessionToken, hashSecret } from '@wxtrpc/api';
import { applyMigrations, prepareBulkInsert, repoRoot, seedLargeDataset, sessionRow } from '@wxtrpc/db';

export interface DatasetSize {
  users: number;
  orders: number;
  heavyUserOrders: number;
  sessions: number;
}

export const fullSize: DatasetSize = { users: 10_000, orders: 1_000_000, heavyUserOrders: 100_000, sessions: 100_000 };
export const shortSize: DatasetSize = { users: 200, orders: 20_000, heavyUserOrders: 5_000, sessions: 2_000 };

interface Position {
  createdAt: number;
  id: string;
}

export interface BenchUser {
  id: string;
  token: string;
  orders: number;
  /** The order the deep page starts after (90% of the way down), as each stack's cursor. */
  deep: Position & { productCursor: string; rawCursor: string };
}

export interface BenchDataset {
  file: string;
  size: DatasetSize;
  seedSeconds: number;
  /** A session of some user (auth.check). */
  token: string;
  heavy: BenchUser;
  light: BenchUser;
}

export async function prepareDatabase(size: DatasetSize, log: (line: string) => void): Promise<BenchDataset> {
  const dir = path.join(repoRoot, 'data/bench');
  // Named after its size and the migrations it was built with, so a schema change builds it again.
  const migrations = readdirSync(path.join(repoRoot, 'prisma/migrations')).filter((entry) => /^\d+_/.test(entry));
  const schemaTag = createHash('sha256').update(migrations.join('\n')).digest('hex').slice(0, 8);
  const name = `${size.users}u-${size.orders}o-${size.heavyUserOrders}h-${size.sessions}s-${schemaTag}`;
  const file = path.join(dir, `${name}.db`);
  const metaFile = path.join(dir, `${name}.json`);
  if (existsSync(file) && existsSync(metaFile)) {
    log(`reusing ${path.relative(repoRoot, file)}`);
    return JSON.parse(readFileSync(metaFile, 'utf8')) as BenchDataset;
  }
  mkdirSync(dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  await applyMigrations(file);
  log(`seeding ${size.orders.toLocaleString('en')} orders over ${size.users.toLocaleString('en')} users…`);
  const seeded = seedLargeDataset(file, { users: size.users, orders: size.orders, heavyUserOrders: size.heavyUserOrders });
  log(`seeded in ${(seeded.ms / 1000).toFixed(1)} s; adding ${size.sessions.toLocaleString('en')} sessions…`);

  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  const now = Date.now();
  const insert = prepareBulkInsert(sqlite, 'Session', sessionRow(''));
  const tokens = new Map<string, string>();
  sqlite.transaction(() => {
    for (let i = 0; i < size.sessions; i++) {
      const userId = seeded.userIds[i % seeded.userIds.length]!;
      const { id, secret, token } = generateSessionToken();
      // Created now and used now: the load never triggers a renewal or a last-used write.
      insert(sessionRow(userId, { id, secretHash: new Uint8Array(hashSecret(secret)), createdAt: new Date(now) }));
      if (!tokens.has(userId)) tokens.set(userId, token);
    }
  })();

  const ordersOf = sqlite.prepare('SELECT count(*) FROM "Order" WHERE userId = ?').pluck();
  const positionAt = sqlite.prepare<[string, number], Position>('SELECT createdAt, id FROM "Order" WHERE userId = ? ORDER BY createdAt DESC, id DESC LIMIT 1 OFFSET ?');
  const benchUser = (id: string): BenchUser => {
    const orders = ordersOf.get(id) as number;
    const position = positionAt.get(id, Math.floor(orders * 0.9))!;
    return {
      id,
      token: tokens.get(id)!,
      orders,
      deep: {
        ...position,
        productCursor: encodeOrderCursor(id, { createdAt: new Date(position.createdAt), id: position.id }),
        rawCursor: `${position.createdAt}.${position.id}`,
      },
    };
  };
  const dataset: BenchDataset = {
    file,
    size,
    seedSeconds: seeded.ms / 1000,
    token: tokens.get(seeded.userIds[1]!)!,
    heavy: benchUser(seeded.heavyUserId),
    light: benchUser(seeded.userIds[1]!),
  };
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  writeFileSync(metaFile, JSON.stringify(dataset, null, 2));
  return dataset;
}

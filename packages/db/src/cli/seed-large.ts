// `npm run db:seed-large -- [--users 10000] [--orders 1000000] [--heavy 100000]`: a large data set for benchmarks,
// written into the database DATABASE_URL names (migrated first).
import { parseArgs } from 'node:util';
import { resolveDatabaseUrl } from '../databaseUrl.ts';
import { applyMigrations } from '../migrations.ts';
import { seedLargeDataset } from '../seedLargeDataset.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    orders: { type: 'string', default: '1000000' },
    heavy: { type: 'string', default: '100000' },
  },
});
const count = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};

const location = resolveDatabaseUrl(process.env.DATABASE_URL);
if (location.provider !== 'sqlite') throw new Error('db:seed-large fills a SQLite file (DATABASE_URL=file:...)');
const { file } = location;
await applyMigrations(file);
const result = seedLargeDataset(file, {
  users: count('users'),
  orders: count('orders'),
  heavyUserOrders: count('heavy'),
  onProgress: (n) => process.stdout.write(`\r${n.toLocaleString('en')} orders`),
});
console.log(
  `\nSeeded ${file}: ${count('users').toLocaleString('en')} users, ${result.orders.toLocaleString('en')} orders ` +
    `(heavy user ${result.heavyUserId} has ${count('heavy').toLocaleString('en')}) in ${(result.ms / 1000).toFixed(1)} s ` +
    `(${Math.round(result.orders / (result.ms / 1000)).toLocaleString('en')} orders/s).`,
);

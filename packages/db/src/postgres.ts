// The PostgreSQL store (kept apart from index.ts so the SQLite path never loads pg or Prisma Client).
export { openPostgresStore, type PostgresStoreOptions } from './openPostgresStore.ts';

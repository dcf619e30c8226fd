// The database package. Importing it never loads Prisma Client (that costs ~70 MB); the Prisma-backed
// store lives at '@wxtrpc/db/prisma'.
export { resolveDatabaseUrl, type DatabaseLocation } from './databaseUrl.ts';
export { applyMigrations, createMigration, pendingSchemaChanges, type MigrationSources } from './migrations.ts';
export { openSqliteStore, type SqliteStoreOptions } from './sqliteStore.ts';
export type { LoginWrite, NewSession, OrderPageQuery, OrderRow, OrderStatus, PublicUser, Store, StoredSession } from './Store.ts';
export { defaultDatabaseFile, repoRoot } from './paths.ts';
export { seedLargeDataset, type LargeDatasetOptions, type LargeDatasetResult } from './seedLargeDataset.ts';

// The database package: Prisma Client for SQLite and PostgreSQL (one typed surface, `Db`), the measured
// hot reads per dialect, migrations, the factory every test and seed builds rows with, and the shared
// WeChat access_token store.
export { resolveDatabaseUrl, type DatabaseLocation } from './databaseUrl.ts';
export { applyMigrations, createMigration, pendingSchemaChanges, type MigrationSources } from './migrations.ts';
export type { Database, Db, HotQueries } from './Database.ts';
export { openDatabase, type OpenDatabaseOptions } from './openDatabase.ts';
export type { FindSession, SessionWithUser } from './hot/findSession.ts';
export { orderListSelect, type ListOrderPage, type OrderListRow, type OrderPageQuery } from './hot/listOrderPage.ts';
export type { OrderStatus } from './generated/prisma/client.ts';
export { Prisma } from './generated/prisma/client.ts';
export { isUniqueViolation } from './isUniqueViolation.ts';
export * from './factory.ts';
export { createAccessTokenStore } from './createAccessTokenStore.ts';
export { prepareBulkInsert } from './sqliteBulkInsert.ts';
export { defaultDatabaseFile, repoRoot } from './paths.ts';
export { seedLargeDataset, type LargeDatasetOptions, type LargeDatasetResult } from './seedLargeDataset.ts';

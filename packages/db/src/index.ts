export { resolveDatabaseUrl, type DatabaseLocation } from './databaseUrl.ts';
export { applyMigrations, createMigration, pendingSchemaChanges, type MigrationSources } from './migrations.ts';
export { openDatabase, type Database, type OpenDatabaseOptions } from './openDatabase.ts';
export { defaultDatabaseFile, repoRoot } from './paths.ts';
export { Prisma, PrismaClient } from './generated/prisma/client.ts';
export type { Order, OrderStatus, Session, User } from './generated/prisma/client.ts';
export { seedLargeDataset, type LargeDatasetOptions, type LargeDatasetResult } from './seedLargeDataset.ts';

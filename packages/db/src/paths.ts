import path from 'node:path';

/** The repository root, whatever the working directory. */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const schemaPath = path.join(repoRoot, 'prisma/schema.prisma');
export const migrationsDir = path.join(repoRoot, 'prisma/migrations');
/** Where the embedded database lives when DATABASE_URL is not set (git-ignored). */
export const defaultDatabaseFile = path.join(repoRoot, 'data/app.db');

import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root (the folder holding prisma/schema.prisma), found from this file, whether run from source or bundled. */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'prisma/schema.prisma'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`prisma/schema.prisma not found above ${from}`);
  }
}

export const repoRoot = findRepoRoot(import.meta.dirname);
export const schemaPath = path.join(repoRoot, 'prisma/schema.prisma');
export const migrationsDir = path.join(repoRoot, 'prisma/migrations');
/** Where the embedded database lives when DATABASE_URL is not set (git-ignored). */
export const defaultDatabaseFile = path.join(repoRoot, 'data/app.db');

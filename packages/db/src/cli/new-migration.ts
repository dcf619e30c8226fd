// `npm run db:new-migration -- <name>`: writes the migrations that bring prisma/migrations (SQLite) and
// prisma/postgresql/migrations up to schema.prisma. PostgreSQL's needs a server for its shadow database:
// the root script runs this inside a throwaway cluster (packages/db/scripts/with-postgres.sh).
import path from 'node:path';
import { createMigration, createPostgresMigration } from '../migrations.ts';
import { repoRoot } from '../paths.ts';

const name = process.argv.slice(2).join('_');
const now = new Date(); // one timestamp, so both folders share a name
const postgresUrl = process.env.TEST_POSTGRES_URL;
try {
  const written = [await createMigration(name, {}, now), postgresUrl ? await createPostgresMigration(name, postgresUrl, {}, now) : null];
  for (const folder of written) if (folder) console.log(`Wrote ${path.relative(repoRoot, folder)}/migration.sql`);
  if (!postgresUrl) console.warn('No PostgreSQL server (TEST_POSTGRES_URL): the PostgreSQL migration was NOT written; run `npm run db:new-migration` from the repo root.');
  if (written.every((folder) => folder === null)) console.log('schema.prisma and the migrations already agree: nothing written.');
  else console.log('Review, commit, and run `npm run generate -w @wxtrpc/db`; servers apply migrations when they start.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

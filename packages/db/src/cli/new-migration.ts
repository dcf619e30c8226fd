// `npm run db:new-migration -- <name>`: writes the migrations that bring prisma/migrations (SQLite) and
// prisma/postgresql/migrations up to schema.prisma, both under one timestamp. No database server is needed:
// SQLite's replays its migrations in memory; PostgreSQL's diffs the committed snapshot
// (prisma/postgresql/schema.prisma) against the derived schema through an offline stub adapter.
import path from 'node:path';
import { createMigration, createPostgresMigration } from '../migrations.ts';
import { repoRoot } from '../paths.ts';

const name = process.argv.slice(2).join('_');
const now = new Date(); // one timestamp, so both folders share a name
try {
  const written = [await createMigration(name, {}, now), await createPostgresMigration(name, {}, now)];
  for (const folder of written) if (folder) console.log(`Wrote ${path.relative(repoRoot, folder)}/migration.sql`);
  if (written.every((folder) => folder === null)) console.log('schema.prisma and the migrations already agree: nothing written.');
  else console.log('Review, commit, and run `npm run generate -w @wxtrpc/db`; servers apply migrations when they start.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

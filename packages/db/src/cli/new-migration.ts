// `npm run db:new-migration -- <name>`: writes the migration that brings prisma/migrations up to schema.prisma.
import path from 'node:path';
import { createMigration } from '../migrations.ts';
import { repoRoot } from '../paths.ts';

const name = process.argv.slice(2).join('_');
try {
  const folder = await createMigration(name);
  if (folder === null) {
    console.log('schema.prisma and prisma/migrations already agree: no migration written.');
  } else {
    console.log(`Wrote ${path.relative(repoRoot, folder)}/migration.sql. Review it, commit it; the server applies it at start.`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

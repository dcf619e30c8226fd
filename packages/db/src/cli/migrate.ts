// `npm run db:migrate`: applies pending migrations to the database DATABASE_URL names (the server also does this at start).
import { resolveDatabaseUrl } from '../databaseUrl.ts';
import { applyMigrations } from '../migrations.ts';

try {
  const { file } = resolveDatabaseUrl(process.env.DATABASE_URL);
  const applied = await applyMigrations(file);
  console.log(applied.length === 0 ? `${file} is up to date.` : `Applied to ${file}: ${applied.join(', ')}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

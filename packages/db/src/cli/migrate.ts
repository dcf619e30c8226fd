// `npm run db:migrate`: applies pending migrations to the database DATABASE_URL names (the server also does this at start).
import { resolveDatabaseUrl } from '../databaseUrl.ts';
import { applyMigrations } from '../migrations.ts';

try {
  const location = resolveDatabaseUrl(process.env.DATABASE_URL);
  const where = location.provider === 'sqlite' ? location.file : 'the PostgreSQL database';
  const applied = await applyMigrations(location);
  console.log(applied.length === 0 ? `${where} is up to date.` : `Applied to ${where}: ${applied.join(', ')}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

// `npm run generate -w @wxtrpc/db` (also run after `npm ci`): the Prisma Clients for SQLite and for PostgreSQL.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../paths.ts';
import { generatedPostgresSchemaPath, writeGeneratedPostgresSchema } from '../postgresSchema.ts';

writeGeneratedPostgresSchema();
const prisma = (...args: string[]) =>
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/prisma/build/index.js'), 'generate', '--config', path.join(repoRoot, 'prisma.config.ts'), ...args], {
    stdio: 'inherit',
  });
prisma();
prisma('--schema', generatedPostgresSchemaPath);

// PostgreSQL gets no schema of its own to edit: its Prisma schema is derived from prisma/schema.prisma
// (provider and client output changed, nothing else), so the two can never drift apart by hand.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, schemaPath } from './paths.ts';

/** Where `prisma generate` reads the derived schema (git-ignored; rewritten by every generate). */
export const generatedPostgresSchemaPath = path.join(repoRoot, 'packages/db/src/generated/postgresql-schema/schema.prisma');
/** The derived schema as of the latest PostgreSQL migration (committed; written by `npm run db:new-migration`). */
export const postgresSnapshotPath = path.join(repoRoot, 'prisma/postgresql/schema.prisma');
export const postgresMigrationsDir = path.join(repoRoot, 'prisma/postgresql/migrations');

const snapshotHeader =
  '// The PostgreSQL schema as of the latest migration in prisma/postgresql/migrations, derived from\n' +
  '// prisma/schema.prisma by `npm run db:new-migration`. Do not edit: change prisma/schema.prisma.\n';
const generatedHeader = '// GENERATED from prisma/schema.prisma by `npm run generate -w @wxtrpc/db`. Do not edit.\n';

export function derivePostgresSchema(sqliteSchema: string): string {
  const derived = sqliteSchema.replace(/(datasource db \{\s*provider\s*=\s*)"sqlite"/, '$1"postgresql"').replace(/(output\s*=\s*)"[^"]*"/, '$1"../postgresql"');
  if (!derived.includes('provider = "postgresql"')) throw new Error('prisma/schema.prisma: could not find `datasource db { provider = "sqlite" }`');
  return derived;
}

export const readDerivedPostgresSchema = (source = schemaPath) => derivePostgresSchema(readFileSync(source, 'utf8'));

/** The snapshot's schema (without its header), or null before the first PostgreSQL migration. */
export function readPostgresSnapshot(file = postgresSnapshotPath): string | null {
  try {
    const text = readFileSync(file, 'utf8');
    return text.startsWith(snapshotHeader) ? text.slice(snapshotHeader.length) : text;
  } catch {
    return null;
  }
}

export function writePostgresSnapshot(schema: string, file = postgresSnapshotPath) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, snapshotHeader + schema);
}

/** Writes the derived schema where `prisma generate` reads it. */
export function writeGeneratedPostgresSchema() {
  mkdirSync(path.dirname(generatedPostgresSchemaPath), { recursive: true });
  writeFileSync(generatedPostgresSchemaPath, generatedHeader + readDerivedPostgresSchema());
}

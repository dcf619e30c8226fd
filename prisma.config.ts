// Prisma CLI configuration (generate, validate, format, and `migrate deploy` where the native engine exists).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

const root = import.meta.dirname;

// The CLI downloads a native schema engine before generate/validate/format even though those commands
// only use WebAssembly. Offline (no real engine in @prisma/engines) we point it at an existing
// executable so the download is skipped; machines that have the engine are left untouched.
const enginesDir = path.dirname(createRequire(path.join(root, 'packages/db/package.json')).resolve('@prisma/engines/package.json'));
const hasNativeEngine = readdirSync(enginesDir).some((name) => name.startsWith('schema-engine-'));
if (!hasNativeEngine && !process.env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(process.execPath)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}

export default defineConfig({
  schema: path.join(root, 'prisma/schema.prisma'),
  migrations: { path: path.join(root, 'prisma/migrations') },
  datasource: { url: process.env.DATABASE_URL ?? `file:${path.join(root, 'data/app.db')}` },
});

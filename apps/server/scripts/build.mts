// Bundles the server into dist/main.mjs (and lazily loaded chunks) for `npm start`: plain Node at run time, no TypeScript loader
// (tsx kept ~40 MB of extra memory resident). Native, Prisma and pg packages stay in node_modules (one pg
// for Prisma's adapter and the hot statements, which share a pool).
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
await build({
  entryPoints: [path.join(root, 'src/main.ts')],
  outdir: path.join(root, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // Dynamic imports stay lazy: PostgreSQL's Prisma Client, adapter and pg load only when DATABASE_URL
  // names PostgreSQL (in one file they loaded at every start, ~MB resident on SQLite for nothing).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // Stack traces map to the TypeScript files by path; without the sources' text in the map, `npm start`'s
  // --enable-source-maps holds ~12 MB instead of ~38 MB (the map is parsed and kept at start).
  sourcesContent: false,
  external: ['better-sqlite3', 'pg', '@prisma/*', 'pino', 'thread-stream'],
  // Bundled CommonJS dependencies call require(); give the ES module bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

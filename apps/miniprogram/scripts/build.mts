// Builds src/ into dist/ (the folder WeChat DevTools opens: project.config.json miniprogramRoot): every
// .ts becomes an ES2017 CommonJS file next to its .wxml/.wxss/.json. npm packages are bundled into the
// one file that imports them (lib/api.js), so DevTools' "build npm" is not needed. Where the runtime has no
// AbortController, the bundle uses our shim (esbuild inject), without touching globals.
import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build, type BuildOptions, type Plugin } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const srcDir = path.join(root, 'src');
const outDir = path.join(root, 'dist');
const apiUrl = process.env.MINIPROGRAM_API_URL ?? 'http://127.0.0.1:3000/trpc';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)])));
  return nested.flat();
}

const vendorEntry = path.join(srcDir, 'lib/api.ts');

/**
 * Our own modules stay separate files, required at run time like in any mini-program. npm code may only
 * be imported by lib/api.ts, so exactly one copy of it ships.
 */
const keepLocalModulesSeparate: Plugin = {
  name: 'keep-local-modules-separate',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point' || !args.importer.startsWith(srcDir)) return undefined;
      if (/^\.\.?\//.test(args.path)) return { path: args.path.endsWith('.js') ? args.path : `${args.path}.js`, external: true };
      if (args.importer === vendorEntry) return undefined;
      return { errors: [{ text: `import npm packages only in src/lib/api.ts (re-export from there): "${args.path}"` }] };
    });
  },
};

const require = createRequire(import.meta.url);
const shim = require.resolve('@wxtrpc/wx-link/abort-controller-shim');

export async function buildMiniprogram(): Promise<{ outDir: string; vendorBytes: number; vendorGzipBytes: number }> {
  await rm(outDir, { recursive: true, force: true });
  const files = await filesUnder(srcDir);
  const entries = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith(path.join(srcDir, 'testing')));
  const options: BuildOptions = {
    outdir: outDir,
    outbase: srcDir,
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2017',
    legalComments: 'none',
    charset: 'utf8',
    define: { __API_URL__: JSON.stringify(apiUrl) },
    plugins: [keepLocalModulesSeparate],
    logLevel: 'warning',
  };
  await build({ ...options, entryPoints: entries.filter((file) => file !== vendorEntry) });
  await build({ ...options, entryPoints: [vendorEntry], minify: true, inject: [shim] });
  for (const file of files.filter((f) => /\.(wxml|wxss|json|png|jpg|svg)$/.test(f))) {
    const target = path.join(outDir, path.relative(srcDir, file));
    await mkdir(path.dirname(target), { recursive: true });
    await cp(file, target);
  }
  const vendor = path.join(outDir, 'lib/api.js');
  return { outDir, vendorBytes: (await stat(vendor)).size, vendorGzipBytes: gzipSync(readFileSync(vendor)).length };
}

if (process.argv[1] === import.meta.filename) {
  const { vendorBytes, vendorGzipBytes } = await buildMiniprogram();
  console.log(
    `Built ${path.relative(process.cwd(), outDir) || 'dist'} for ${apiUrl}; client (tRPC + wx link + shims, lib/api.js): ` +
      `${(vendorBytes / 1024).toFixed(1)} KB minified, ${(vendorGzipBytes / 1024).toFixed(1)} KB gzip`,
  );
}

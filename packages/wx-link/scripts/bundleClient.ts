// The client library as a mini-program ships it: src/index.ts bundled by esbuild into one ES2017 CommonJS
// file, minified, with the AbortController shim injected (as apps/miniprogram/scripts/build.mts bundles it).
// The sandbox test runs this bundle; `npm run size -w @wxtrpc/wx-link` prints its size.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

export async function bundleClient(): Promise<{ code: string; minifiedBytes: number; gzipBytes: number }> {
  const { outputFiles } = await build({
    entryPoints: [path.join(root, 'src/index.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2017',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    inject: [path.join(root, 'src/AbortControllerShim.ts')],
    write: false,
    logLevel: 'warning',
  });
  const code = outputFiles[0]!.text;
  return { code, minifiedBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length };
}

if (process.argv[1] === import.meta.filename) {
  const { minifiedBytes, gzipBytes } = await bundleClient();
  console.log(
    `@wxtrpc/wx-link bundled (tRPC client, link, every platform adapter, shim): ${(minifiedBytes / 1024).toFixed(1)} KB minified, ${(gzipBytes / 1024).toFixed(1)} KB gzip`,
  );
}

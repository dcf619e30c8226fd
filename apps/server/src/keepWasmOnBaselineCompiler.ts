import v8 from 'node:v8';

/**
 * Runs WebAssembly on V8's baseline compiler (Liftoff) only, never tiering it up to TurboFan.
 *
 * Why: the WebAssembly in this process is Prisma's query compiler (and, while migrating, its schema engine),
 * multi-megabyte modules whose hot functions V8 recompiles with TurboFan in the background; those
 * compilations left ~40 MB (query compiler, under load) to ~90 MB (with the schema engine) of resident
 * memory behind, while the query compiler's share of CPU is too small for the faster code to show in CPU
 * per login or per request (interleaved A/B runs, docs/benchmarks.md). V8 reads the flag when it compiles
 * a module, so it is set before the first one is loaded.
 */
export function keepWasmOnBaselineCompiler(): void {
  v8.setFlagsFromString('--liftoff-only');
}

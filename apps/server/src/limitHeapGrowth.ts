import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection, in percent.
 *
 * Why: by default V8 grows it up to 4x while collecting is cheap, and under load this server's old
 * generation, ~30 MB live, climbs to ~110 MB of promoted request garbage before one full collection
 * brings it back: ~70 MB of peak RSS for nothing. At 10 % (V8's own lowest factor, which it uses when
 * collecting is slow) a full collection comes every few seconds under load, each ~5 ms of pause and
 * ~10 ms of incremental marking (docs/benchmarks.md). V8 reads the flag after each full collection,
 * so setting it at start-up takes effect from the first one.
 */
export const heapGrowingPercent = 10;

export function limitHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}

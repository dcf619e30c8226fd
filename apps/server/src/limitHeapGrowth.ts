import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full collection, in percent.
 *
 * Why: by default V8 grows it up to 4x while collecting is cheap. Under login load, Prisma Client's
 * per-query objects outlive young-generation collections (its runtime gives many of them a hidden class
 * of their own), and the heap climbs to ~140 MB, peak RSS to ~255 MB, before one full collection brings it
 * back to ~30 MB live. At 10 % (V8's own lowest factor, which it uses when collecting is slow) the heap
 * stays under ~56 MB and peak RSS ~170 MB, for a full collection every ~0.6 s of ~7 ms pause
 * (docs/benchmarks.md). V8 reads the flag after each full collection, so setting it at start-up takes
 * effect from the first one.
 */
export const heapGrowingPercent = 10;

export function limitHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}

// Shared by every workspace's vitest.config.ts. The JSON report is what .ci/run counts.
import { defineConfig } from 'vitest/config';

// Files and tests run in a random order, so no test can lean on another having run first. The seed is
// printed; `VITEST_SEED=<seed> npm test` replays an order.
const seed = Number(process.env.VITEST_SEED) || Math.floor(Math.random() * 1_000_000);
console.log(`vitest: shuffled with seed ${seed} (replay with VITEST_SEED=${seed})`);

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    sequence: { shuffle: true, seed },
  },
});

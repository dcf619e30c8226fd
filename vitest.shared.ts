// Shared by every workspace's vitest.config.ts. The JSON report is what .ci/run counts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

// The benchmark's short mode, as a smoke test: every stack starts, every scenario runs and the report is
// complete. It asserts nothing about speed (that is what `npm run bench` and docs/benchmarks.md are for).
import { expect, it } from 'vitest';
import { renderMarkdown, renderSvg, stacks, targets } from './report.ts';
import { runBenchmark } from './runBenchmark.ts';

it('runs every scenario on every stack and writes a complete report', async () => {
  // CI machines have no wrk: exercise the npm load generator here, whatever this machine has.
  process.env.BENCH_LOAD_GENERATOR = 'autocannon';
  const report = await runBenchmark({ short: true, seconds: 1, rounds: 1, connections: 8, log: () => {} });
  expect(report.scenarios.map((s) => s.name)).toEqual([
    'auth.check',
    'order.list, light user, page 1',
    'order.list, light user, deep page',
    'order.list, heavy user, page 1',
    'order.list, heavy user, deep page',
  ]);
  for (const { name, results } of report.scenarios) {
    for (const stack of stacks) {
      expect(results[stack].requestsPerSecond, `${name} ${stack}`).toBeGreaterThan(0);
      expect(results[stack].errors, `${name} ${stack}`).toBe(0);
    }
  }
  expect(report.logins.product?.loginsPerSecond).toBeGreaterThan(0);
  expect(report.logins.product?.errors).toBe(0);
  expect(report.logins.raw?.loginsPerSecond).toBeGreaterThan(0);
  expect(report.logins.raw?.errors).toBe(0);
  expect(report.batching.batched.requests).toBeLessThan(report.batching.unbatched.requests);
  const markdown = renderMarkdown(report);
  expect(markdown).toContain('Short smoke run');
  expect(report.clientBundle?.library.minifiedKb).toBeGreaterThan(report.clientBundle!.app.minifiedKb);
  expect(markdown).toContain('## Client bundle size');
  expect(markdown.split('\n## PostgreSQL\n')[0]!.match(/^\| order\.list, heavy user, deep page \|/gm)).toHaveLength(3);
  expect(targets(report).length).toBeGreaterThanOrEqual(8);
  expect(renderSvg(report)).toMatch(/^<svg/);
  expect(report.loadGenerator).toBe('autocannon');

  // PostgreSQL: measured whenever the test has a server (CI's with-postgres.sh sets TEST_POSTGRES_URL), and
  // otherwise a skip the report states.
  const postgres = report.postgres!;
  expect(postgres).toBeDefined();
  if ('skipped' in postgres) {
    if (process.env.BENCH_POSTGRES_URL !== 'off') {
      expect(process.env.TEST_POSTGRES_URL || process.env.BENCH_POSTGRES_URL, 'PostgreSQL was given but the scenarios were skipped').toBeFalsy();
    }
    console.warn(`bench smoke test: PostgreSQL scenarios skipped: ${postgres.skipped}`);
    expect(markdown).toContain('## PostgreSQL\n\n> **Not measured in this run**');
    return;
  }
  expect(postgres.scenarios.map((s) => s.name)).toEqual(['auth.check', 'order.list, light user, page 1', 'order.list, heavy user, page 1', 'order.list, heavy user, deep page']);
  for (const { name, results } of postgres.scenarios) {
    for (const stack of stacks) {
      expect(results[stack].requestsPerSecond, `PostgreSQL ${name} ${stack}`).toBeGreaterThan(0);
      expect(results[stack].errors, `PostgreSQL ${name} ${stack}`).toBe(0);
    }
  }
  expect(postgres.twoInstances.map((s) => s.name)).toEqual(['auth.check', 'order.list, heavy user, page 1']);
  for (const { name, one, two } of postgres.twoInstances) {
    for (const run of [one, two]) {
      expect(run.requestsPerSecond, `${name}, ${run.instances} instance(s)`).toBeGreaterThan(0);
      expect(run.errors, `${name}, ${run.instances} instance(s)`).toBe(0);
    }
  }
  expect(markdown).toContain('### Two instances on one PostgreSQL');
  expect(markdown.match(/^\| order\.list, heavy user, deep page \|/gm)).toHaveLength(6);
  expect(targets(report).filter((t) => t.what.startsWith('PostgreSQL, '))).toHaveLength(4);
  expect(targets(report).some((t) => t.what.includes('the raw login'))).toBe(true);
}, 300_000);

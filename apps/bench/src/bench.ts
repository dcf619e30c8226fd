// `npm run bench [-- --short] [--seconds 8] [--rounds 3] [--connections 50] [--out docs/benchmarks.md]`
// PostgreSQL scenarios run on BENCH_POSTGRES_URL (else TEST_POSTGRES_URL, else a throwaway cluster from
// packages/db/scripts/with-postgres.sh when PostgreSQL is installed); without one, or with BENCH_POSTGRES_URL=off, they
// are skipped, and the report says so.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@wxtrpc/db';
import { renderMarkdown, renderSvg, targets } from './report.ts';
import { runBenchmark } from './runBenchmark.ts';

const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string', default: '50' },
    out: { type: 'string' },
  },
});
const short = values.short;
const report = await runBenchmark({
  short,
  seconds: Number(values.seconds ?? (short ? 1 : 8)),
  rounds: Number(values.rounds ?? (short ? 1 : 3)),
  connections: Number(values.connections),
  log: (line) => console.log(line),
});
const out = path.resolve(repoRoot, values.out ?? (short ? 'data/bench/benchmarks-short.md' : 'docs/benchmarks.md'));
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, renderMarkdown(report));
writeFileSync(path.join(path.dirname(out), 'benchmarks.svg'), renderSvg(report));
console.log(`\nwrote ${path.relative(repoRoot, out)}`);
for (const target of targets(report)) console.log(`${target.met ? 'met    ' : 'NOT MET'}  ${target.what}: ${target.measured}`);
if (report.postgres && 'skipped' in report.postgres) console.log(`SKIPPED  PostgreSQL scenarios and their targets: ${report.postgres.skipped}`);

// The PostgreSQL part of docs/benchmarks.md (the three stacks on PostgreSQL, two product instances on one
// PostgreSQL) and the logins against the raw login reference: their types, tables and targets.
import type { BenchReport, Measurement, Stack } from './report.ts';

export interface InstancesRun {
  instances: 1 | 2;
  /** Connections per instance. */
  connections: number;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  /** CPU of the product process(es) per request. */
  cpuMicrosPerRequest: number;
  /** Share of the machine's CPU time in use during the run (every process: PostgreSQL, servers, load). */
  machineBusy: number;
}

export interface PostgresReport {
  where: string;
  serverVersion: string;
  database: string;
  /** Seconds the copy took, NaN when the database was reused. */
  seedSeconds: number;
  poolSize: number;
  scenarios: { name: string; results: Record<Stack, Measurement> }[];
  twoInstances: { name: string; one: InstancesRun; two: InstancesRun }[];
  peakRssMb: Record<Stack, number>;
}

export type PostgresSection = PostgresReport | { skipped: string };

export const postgresStackNames: Record<Stack, string> = {
  raw: 'raw Fastify + pg prepared statement (limit)',
  stock: 'stock tRPC adapter + Prisma (adapter-pg)',
  product: 'this server on PostgreSQL',
};

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');
const stacks: Stack[] = ['raw', 'stock', 'product'];

interface Target {
  what: string;
  measured: string;
  met: boolean;
}

/** Targets for PostgreSQL (≥ 3× stock, ≥ 0.4× raw) and logins (≥ 0.6× raw); none when not measured. */
export function postgresTargets(report: BenchReport): Target[] {
  const list: Target[] = [];
  const section = report.postgres;
  if (section && !('skipped' in section)) {
    for (const name of ['auth.check', 'order.list, heavy user, page 1']) {
      const r = section.scenarios.find((s) => s.name === name)?.results;
      if (!r) continue;
      list.push({
        what: `PostgreSQL, ${name}: ≥ 3× the stock stack`,
        measured: ratio(r.product.requestsPerSecond, r.stock.requestsPerSecond),
        met: r.product.requestsPerSecond >= 3 * r.stock.requestsPerSecond,
      });
      list.push({
        what: `PostgreSQL, ${name}: ≥ 0.4× the raw limit`,
        measured: ratio(r.product.requestsPerSecond, r.raw.requestsPerSecond),
        met: r.product.requestsPerSecond >= 0.4 * r.raw.requestsPerSecond,
      });
    }
  }
  const { product, raw } = report.logins;
  if (product && raw) {
    list.push({
      what: 'auth.login against the emulator: ≥ 0.6× the raw login',
      measured: ratio(product.loginsPerSecond, raw.loginsPerSecond),
      met: product.loginsPerSecond >= 0.6 * raw.loginsPerSecond,
    });
  }
  return list;
}

/** The raw login line for "Logins, batching, memory". */
export function renderRawLoginLines(report: BenchReport): string[] {
  const { product, raw } = report.logins;
  if (!raw) return [];
  return [
    `- \`auth.login\` against the WeChat emulator, raw Fastify + prepared statements (limit; \`references/rawLoginServer.ts\`: jscode2session over HTTP, one transaction upserting the user and inserting the session, no tRPC): **${fixed(raw.loginsPerSecond)} logins/s**` +
      (product ? `; this server does **${ratio(product.loginsPerSecond, raw.loginsPerSecond)}** of that.` : '.') +
      ` The client mints a code at the emulator for every login, for every stack alike, 16 logins at a time; each figure is the median of ${report.rounds} interleaved round(s), after a warm-up.`,
  ];
}

export function renderPostgresMarkdown(report: BenchReport): string[] {
  const section = report.postgres;
  if (!section) return [];
  const lines = ['', '## PostgreSQL', ''];
  if ('skipped' in section) {
    lines.push(`> **Not measured in this run**: ${section.skipped}.`);
    return lines;
  }
  lines.push(
    `PostgreSQL ${section.serverVersion} (${section.where}), on the same machine. Data: the SQLite data set above copied row for row into its own database ` +
      `(\`${section.database}\`, ${Number.isFinite(section.seedSeconds) ? `copied in ${section.seedSeconds.toFixed(1)} s` : 'reused from an earlier run'}), so the same tokens and cursors are used. ` +
      `Each stack has one pool of ${section.poolSize} connections. Same load, durations and interleaved rounds as above` +
      (report.short
        ? '.'
        : ', after one warm-up pass of every stack over every scenario (these processes are fresh, and Prisma Client and V8 take longer than one short warm-up to reach their pace).'),
    '',
    `- **${postgresStackNames.raw}**: \`references/rawPgServer.ts\`, one named (prepared) \`pg\` statement per route, no validation, no tRPC, no Prisma.`,
    `- **${postgresStackNames.stock}**: \`references/stockServer.ts\` with \`DATABASE_URL\`: \`fastifyTRPCPlugin\`, data through Prisma Client and \`@prisma/adapter-pg\`.`,
    `- **${postgresStackNames.product}**: \`npm start\` with \`DATABASE_URL=postgresql://…\`, otherwise as deployed, like the SQLite product above.`,
    '',
    '| scenario | stack | req/s | p50 ms | p99 ms | CPU µs/req | peak RSS MB | vs raw | vs stock |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const { name, results } of section.scenarios) {
    for (const stack of stacks) {
      const m = results[stack];
      lines.push(
        `| ${name} | ${postgresStackNames[stack]} | ${fixed(m.requestsPerSecond)} | ${fixed(m.p50Ms, 1)} | ${fixed(m.p99Ms, 1)} | ${fixed(m.cpuMicrosPerRequest)} | ${fixed(m.peakRssMb)} | ` +
          `${stack === 'raw' ? '' : ratio(m.requestsPerSecond, results.raw.requestsPerSecond)} | ${stack === 'product' ? ratio(m.requestsPerSecond, results.stock.requestsPerSecond) : ''} |`,
      );
    }
  }
  lines.push(
    '',
    "CPU µs/req is the server process alone; on PostgreSQL part of each request's work is in the database server, which is not counted there.",
    '',
    '### Two instances on one PostgreSQL',
    '',
    `The product started twice (two processes, two ports, a pool of ${section.poolSize} each) on the same PostgreSQL database, the load split in two ` +
      `(two load generators at once, half the connections each), against one instance taking all the connections. Machine CPU is every process ` +
      `together (PostgreSQL, the servers, the load generator) as a share of all ${report.machine.match(/(\d+) cores/)?.[1] ?? 'the'} cores.`,
    '',
    '| scenario | instances | connections | req/s (sum) | p99 ms (worst) | product CPU µs/req | machine CPU busy | vs one instance |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const { name, one, two } of section.twoInstances) {
    for (const run of [one, two]) {
      lines.push(
        `| ${name} | ${run.instances} | ${run.instances} × ${run.connections} | ${fixed(run.requestsPerSecond)} | ${fixed(run.p99Ms, 1)} | ${fixed(run.cpuMicrosPerRequest)} | ` +
          `${fixed(run.machineBusy * 100)} % | ${run.instances === 2 ? ratio(two.requestsPerSecond, one.requestsPerSecond) : ''} |`,
      );
    }
  }
  lines.push('', ...describeTwoInstances(section, report.machine));
  return lines;
}

/** The plain reading of the two-instance rows, from the numbers of this run. */
function describeTwoInstances(section: PostgresReport, machine: string): string[] {
  if (section.twoInstances.length === 0) return [];
  const cores = machine.match(/(\d+) cores/)?.[1] ?? '?';
  const gains = section.twoInstances.map(({ name, one, two }) => `${name} ${ratio(two.requestsPerSecond, one.requestsPerSecond)}`).join(', ');
  const busy = Math.min(...section.twoInstances.map(({ one }) => one.machineBusy));
  const errors = section.twoInstances.reduce((sum, { one, two }) => sum + one.errors + two.errors, 0);
  const saturated = busy >= 0.85;
  return [
    `What it shows: two instances served ${gains} of what one did. ` +
      (saturated
        ? `The ${cores} cores were already at least ${fixed(busy * 100)} % busy with one instance (PostgreSQL, the server and the load generator share ` +
          'them), so the second instance had no spare core to use: the difference is how the same CPU is split (two event loops, two pools, two load ' +
          'generators), not how the server scales, which needs the instances, PostgreSQL and the load on separate machines. '
        : `With one instance the ${cores} cores were ${fixed(busy * 100)} % busy, so the second instance had spare CPU to use. `) +
      (errors === 0
        ? 'Both instances served the same sessions and pages from one database without an error.'
        : `${fixed(errors)} request(s) failed (timeouts or non-2xx; see the errors in the run's log).`),
  ];
}

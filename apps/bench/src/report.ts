// Turns measurements into docs/benchmarks.md (tables, targets, the reasons) and a bar chart (SVG).
import { postgresTargets, renderPostgresMarkdown, renderRawLoginLines, type PostgresSection } from './postgresReport.ts';

export type Stack = 'raw' | 'stock' | 'product';
export const stacks: Stack[] = ['raw', 'stock', 'product'];
export const stackNames: Record<Stack, string> = {
  raw: 'raw Fastify + prepared statement (limit)',
  stock: 'stock tRPC adapter + Prisma (docs)',
  product: 'this server (tRPC wire protocol)',
};

export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  peakRssMb: number;
  errors: number;
}

export interface BenchReport {
  date: string;
  machine: string;
  node: string;
  loadGenerator: string;
  connections: number;
  seconds: number;
  rounds: number;
  short: boolean;
  dataset: { users: number; orders: number; heavyUserOrders: number; sessions: number; seedSeconds: number; heavyOrders: number; lightOrders: number };
  scenarios: { name: string; results: Record<Stack, Measurement> }[];
  logins: Partial<Record<Stack, { loginsPerSecond: number; errors: number }>>;
  batching: { batched: { callsPerSecond: number; requests: number; errors: number }; unbatched: { callsPerSecond: number; requests: number; errors: number } };
  peakRssMb: Record<Stack, number>;
  /** The WeChat app's bundle (apps/miniprogram dist/lib/api.js) and the whole client library (every platform adapter). */
  clientBundle: { app: BundleSize; library: BundleSize } | null;
  /** The stacks on PostgreSQL and two product instances on one PostgreSQL (postgresReport.ts), or why not. */
  postgres?: PostgresSection;
}

export interface BundleSize {
  minifiedKb: number;
  gzipKb: number;
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');

export function median(values: number[]): number {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Target {
  what: string;
  measured: string;
  met: boolean;
}

export function targets(report: BenchReport): Target[] {
  const scenario = (name: string) => report.scenarios.find((s) => s.name === name)!.results;
  const list: Target[] = [];
  for (const name of ['auth.check', 'order.list, heavy user, page 1']) {
    const r = scenario(name);
    list.push({ what: `${name}: ≥ 3× the stock stack`, measured: ratio(r.product.requestsPerSecond, r.stock.requestsPerSecond), met: r.product.requestsPerSecond >= 3 * r.stock.requestsPerSecond });
    list.push({ what: `${name}: ≥ 0.4× the raw limit`, measured: ratio(r.product.requestsPerSecond, r.raw.requestsPerSecond), met: r.product.requestsPerSecond >= 0.4 * r.raw.requestsPerSecond });
    list.push({ what: `${name}: p99 within 5× the raw route's p99`, measured: ratio(r.product.p99Ms, r.raw.p99Ms), met: r.product.p99Ms <= 5 * r.raw.p99Ms });
  }
  const first = scenario('order.list, heavy user, page 1').product.requestsPerSecond;
  const deep = scenario('order.list, heavy user, deep page').product.requestsPerSecond;
  list.push({ what: 'heavy user: a deep page costs within 1.2× of page 1', measured: `page 1 / deep = ${ratio(first, deep)}`, met: first <= 1.2 * deep });
  list.push({ what: 'peak RSS under load ≤ 150 MB', measured: `${fixed(report.peakRssMb.product)} MB`, met: report.peakRssMb.product <= 150 });
  if (report.clientBundle) {
    const { app } = report.clientBundle;
    list.push({ what: 'mini-program client (tRPC client + link + shims) under 30 KB minified', measured: `${app.minifiedKb.toFixed(1)} KB`, met: app.minifiedKb < 30 });
  }
  list.push(...postgresTargets(report));
  return list;
}

export function renderMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  if (report.short) lines.push('> **Short smoke run** (tiny data set, seconds-long runs): the numbers mean nothing; run `npm run bench` for real ones.', '');
  lines.push(
    `Measured by \`npm run bench\` on ${report.date}: ${report.machine}, Node ${report.node}. Load: ${report.loadGenerator}, ` +
      `${report.connections} connections, ${report.seconds} s per run, median of ${report.rounds} interleaved round(s); the load generator ` +
      'shares the machine. Absolute numbers move 10-25 % between runs on shared machines: compare the ratios, taken in one run.',
    '',
    `Data set: ${fixed(report.dataset.orders)} orders over ${fixed(report.dataset.users)} users, ${fixed(report.dataset.sessions)} sessions, ` +
      `SQLite (WAL) on one file all three stacks read; the heavy user has ${fixed(report.dataset.heavyOrders)} orders, the light one ` +
      `${fixed(report.dataset.lightOrders)}; a deep page starts 90 % of the way down. Seeded in ${report.dataset.seedSeconds.toFixed(1)} s.`,
    '',
    'The three stacks, each its own process, answer the same requests:',
    '',
    `- **${stackNames.raw}**: one Fastify route per procedure and one prepared better-sqlite3 statement, no validation, no tRPC: the practical limit.`,
    `- **${stackNames.stock}**: our \`appRouter\` behind \`fastifyTRPCPlugin\`, data through Prisma Client and \`@prisma/adapter-better-sqlite3\`, as the docs lead you to build it.`,
    `- **${stackNames.product}**: \`npm start\` with \`NODE_ENV=production\` (rate limits off, \`LOG_LEVEL=warn\`), speaking tRPC's wire protocol.`,
    '',
    '![requests per second by scenario](benchmarks.svg)',
    '',
    '## Results',
    '',
    '| scenario | stack | req/s | p50 ms | p99 ms | CPU µs/req | peak RSS MB | vs raw | vs stock |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const { name, results } of report.scenarios) {
    for (const stack of stacks) {
      const m = results[stack];
      lines.push(
        `| ${name} | ${stackNames[stack]} | ${fixed(m.requestsPerSecond)} | ${fixed(m.p50Ms, 1)} | ${fixed(m.p99Ms, 1)} | ${fixed(m.cpuMicrosPerRequest)} | ${fixed(m.peakRssMb)} | ` +
          `${stack === 'raw' ? '' : ratio(m.requestsPerSecond, results.raw.requestsPerSecond)} | ${stack === 'product' ? ratio(m.requestsPerSecond, results.stock.requestsPerSecond) : ''} |`,
      );
    }
  }
  lines.push('', '## Logins, batching, memory', '');
  for (const stack of ['product', 'stock'] as const) {
    const login = report.logins[stack];
    if (login) lines.push(`- \`auth.login\` against the WeChat emulator, ${stackNames[stack]}: **${fixed(login.loginsPerSecond)} logins/s** (each: mint a code at the emulator, then jscode2session over HTTP, upsert, new session).`);
  }
  lines.push(...renderRawLoginLines(report));
  const { batched, unbatched } = report.batching;
  lines.push(
    `- The mini-program link (wx-link over a \`wx.request\` stand-in doing real HTTP), 10 calls at a time: batched ${fixed(batched.callsPerSecond)} calls/s in ${fixed(batched.requests)} HTTP requests, ` +
      `unbatched ${fixed(unbatched.callsPerSecond)} calls/s in ${fixed(unbatched.requests)}: **${ratio(batched.callsPerSecond, unbatched.callsPerSecond)}**.`,
    `- Peak RSS under load: ${stacks.map((s) => `${stackNames[s]} ${fixed(report.peakRssMb[s])} MB`).join('; ')}.`,
  );
  if (report.clientBundle) {
    const size = ({ minifiedKb, gzipKb }: BundleSize) => `${minifiedKb.toFixed(1)} KB | ${gzipKb.toFixed(1)} KB`;
    lines.push(
      '',
      '## Client bundle size',
      '',
      'esbuild (minified, ES2017, CommonJS, the AbortController shim injected), gzip by zlib:',
      '',
      '| bundle | minified | gzip |',
      '|---|---:|---:|',
      `| the WeChat mini-program's \`dist/lib/api.js\` (tRPC client, the link over \`wx\`, uploads, shim) | ${size(report.clientBundle.app)} |`,
      `| \`@wxtrpc/wx-link\` whole: every platform adapter and \`detectPlatform\` (\`npm run size -w @wxtrpc/wx-link\`) | ${size(report.clientBundle.library)} |`,
      '',
      'An app that names its platform (`fromWx(wx)`, `fromMy(my)`, …) bundles that adapter alone; `detectPlatform()` brings them all.',
    );
  }
  lines.push(...renderPostgresMarkdown(report));
  lines.push('', '## Targets', '', '| target | measured | met |', '|---|---|---|');
  for (const target of targets(report)) lines.push(`| ${target.what} | ${target.measured} | ${target.met ? 'yes' : '**no**'} |`);
  lines.push(
    '',
    '## What the server does differently, and why',
    '',
    'Measured on this kind of machine (profiles under load; see also the baseline in the reference notes):',
    '',
    "- **A lean tRPC handler instead of the stock Fastify adapter** (`apps/server/src/trpc/createTrpcHandler.ts`, ~150 lines). The stock adapter builds a Fetch `Request` and `Response` per call, with `AbortSignal.any` and web streams; that machinery and its garbage cost more than our procedures. The handler calls the same procedures with tRPC's own error shaping and status rules; `protocol.test.ts` sends 30 kinds of request (batches, 207s, wrong methods, bad JSON, unknown paths, content types) to it and to the stock adapter and requires identical answers, and the official `httpLink`/`httpBatchLink` and the mini-program link run against it in every test.",
    '- **Prepared better-sqlite3 statements on SQLite** (`packages/db/src/sqliteStore.ts`). Prisma\'s adapter prepares each statement again on every query, and its query engine costs more CPU than the query; loading Prisma Client also adds ~70 MB of memory. The schema, migrations and PostgreSQL path stay Prisma\'s; `storeContract.test.ts` runs the same behaviour against both stores.',
    "- **Keyset SQL written for SQLite's planner**: `createdAt <= c AND (createdAt < c OR id < i)` walks the `(userId, createdAt DESC, id DESC)` index, so a deep page costs what page 1 costs; `createdAt < c OR (createdAt = c AND id < i)` makes SQLite merge two scans and sort, and Prisma's own `cursor` option walks the whole index for a heavy user.",
    '- **Per-request hooks kept cheap**: helmet\'s headers are computed once (its middleware re-parses the CSP per request), CORS is registered only with an allowlist, the session is resolved once per HTTP request however many calls a batch carries, and the schema engine (WebAssembly) is only loaded at start-up when a migration is pending.',
    '',
  );
  return lines.join('\n');
}

export function renderSvg(report: BenchReport): string {
  const colors: Record<Stack, string> = { raw: '#9e9e9e', stock: '#e57373', product: '#43a047' };
  const width = 860;
  const rowHeight = 64;
  const left = 250;
  const max = Math.max(...report.scenarios.flatMap(({ results }) => stacks.map((s) => results[s].requestsPerSecond)).filter(Number.isFinite), 1);
  const scale = (width - left - 90) / max;
  const parts: string[] = [];
  report.scenarios.forEach(({ name, results }, row) => {
    const y = 40 + row * rowHeight;
    parts.push(`<text x="${left - 10}" y="${y + 26}" text-anchor="end" font-size="13">${name}</text>`);
    stacks.forEach((stack, i) => {
      const value = results[stack].requestsPerSecond;
      const w = Number.isFinite(value) ? Math.max(1, value * scale) : 0;
      parts.push(`<rect x="${left}" y="${y + i * 17}" width="${w.toFixed(1)}" height="14" fill="${colors[stack]}"/>`);
      parts.push(`<text x="${left + w + 6}" y="${y + i * 17 + 11}" font-size="11">${fixed(value)}</text>`);
    });
  });
  const height = 40 + report.scenarios.length * rowHeight + 30;
  const legend = stacks
    .map((stack, i) => `<rect x="${left + i * 230}" y="10" width="12" height="12" fill="${colors[stack]}"/><text x="${left + i * 230 + 18}" y="20" font-size="12">${stackNames[stack]}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="#fff"/>${legend}${parts.join('')}<text x="${left}" y="${height - 8}" font-size="11" fill="#666">requests per second (higher is better)</text></svg>\n`;
}

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
  // Issue #16's targets, judged on a full run (short mode is a smoke test).
  for (const { name } of report.scenarios) {
    const r = scenario(name);
    list.push({
      what: `${name}: ≥ 0.6× the raw limit`,
      measured: ratio(r.product.requestsPerSecond, r.raw.requestsPerSecond),
      met: r.product.requestsPerSecond >= 0.6 * r.raw.requestsPerSecond,
    });
    list.push({
      what: `${name}: ≥ 5× the stock stack`,
      measured: ratio(r.product.requestsPerSecond, r.stock.requestsPerSecond),
      met: r.product.requestsPerSecond >= 5 * r.stock.requestsPerSecond,
    });
    list.push({ what: `${name}: p99 within 3× the raw route's p99`, measured: ratio(r.product.p99Ms, r.raw.p99Ms), met: r.product.p99Ms <= 3 * r.raw.p99Ms });
  }
  for (const user of ['light', 'heavy']) {
    const first = scenario(`order.list, ${user} user, page 1`).product;
    const deep = scenario(`order.list, ${user} user, deep page`).product;
    // Time per request: the CPU each costs, so the ratio does not depend on how busy the load generator was.
    list.push({
      what: `${user} user: time per request, deep page / page 1 ≤ 1.2×`,
      measured: ratio(deep.cpuMicrosPerRequest, first.cpuMicrosPerRequest),
      met: deep.cpuMicrosPerRequest <= 1.2 * first.cpuMicrosPerRequest,
    });
  }
  list.push({ what: 'peak RSS under load ≤ 200 MB (Prisma Client loaded)', measured: `${fixed(report.peakRssMb.product)} MB`, met: report.peakRssMb.product <= 200 });
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
    `- **${stackNames.product}**: \`npm start\` as deployed, speaking tRPC's wire protocol: \`NODE_ENV=production\`, the default \`LOG_LEVEL\` (info: one JSON line per request), metrics collected and served (\`METRICS_PORT\`), rate limiting on with its limits raised only so the one load generator's address is never refused (every request still pays for the check).`,
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
    if (login)
      lines.push(
        `- \`auth.login\` against the WeChat emulator, ${stackNames[stack]}: **${fixed(login.loginsPerSecond)} logins/s** (each: mint a code at the emulator, then jscode2session over HTTP, upsert, new session).`,
      );
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
    'Measured on this kind of machine (CPU profiles of the product under load, `node --cpu-prof`, and A/B runs of CPU µs per request; shared 2-core machines move single figures by ±30 %, so the effects below are from profiles and repeated runs):',
    '',
    "- **A lean tRPC handler instead of the stock Fastify adapter** (`apps/server/src/trpc/createLeanTrpcHandler.ts`, ~150 lines). The stock adapter builds a Fetch `Request` and `Response` per call, with `AbortSignal.any` and web streams; that machinery and its garbage cost more than our procedures. The handler calls the same procedures with tRPC's own error shaping and status rules, and hands every request it is not sure of to the stock adapter; `protocol.test.ts` sends the same requests (batches, 207s, wrong methods, bad JSON, unknown paths, content types) to it and to the stock adapter and requires identical answers, and the official `httpLink`/`httpBatchLink` (`officialLinks.test.ts`) and the mini-program link run against it. A single call awaits its procedure directly rather than through `Promise.all`, and its envelope is stringified as is (tRPC's response transform copies it unchanged when there is no transformer): auth.check 146 → 129 µs and order.list 366 → 310 µs of CPU per request in interleaved A/B runs.",
    "- **Hand-written SQL only for the hot reads, Prisma Client for everything else** (`packages/db/src/hot/`): the session lookup behind every authenticated call and the order page are prepared better-sqlite3 statements on a second, read-only connection (WAL readers never wait for Prisma's writer), each beside its Prisma twin with the same type; `hotQueries.test.ts` runs both on the same data, on SQLite and PostgreSQL, and requires identical results. Prisma's adapter prepares each statement again on every query, and its query compiler (WebAssembly) costs more CPU than the query. The statements return rows as arrays (better-sqlite3's raw mode): for an object row it looks up every column name in V8's string table and adds it as a property, ~1 µs of a ~10 µs session lookup and ~5.5 µs of a ~29 µs 11-row page, measured in-process. The page statements end in `LIMIT +?` rather than `LIMIT ?`: the SQLite in better-sqlite3 12 (3.53) plans with the value bound to a bare LIMIT parameter, so every bind expired the statement and every page was parsed and planned again (`sqlite3Reprepare` under `sqlite3_step` in perf, over a third of the statement's time); a unary plus is not read at planning. In-process an 11-row page went from 22.9 to 16.9 µs and a deep page from 25.6 to 17.7 µs; under load, in interleaved runs on one server, ~148 -> ~123 µs of CPU per heavy page 1 and ~168 -> ~130 µs per heavy deep page. The raw reference keeps `LIMIT ?` and pays it.",
    "- **Keyset SQL written for SQLite's planner**: a deep page's condition is the row value `(createdAt, id) < (c, i)`, one range on the `(userId, createdAt DESC, id DESC)` index (`EXPLAIN QUERY PLAN`: `SEARCH Order USING INDEX Order_userId_createdAt_id_idx (userId=? AND (createdAt,id)<(?,?))`, checked for all four statements by `hotQueries.test.ts`), so a deep page reads as many rows as page 1. `createdAt <= c AND (createdAt < c OR id < i)` (the Prisma twin's form, and the raw reference's) is also one range but filters each row, ~1 µs more per 11-row page in-process; `createdAt < c OR (createdAt = c AND id < i)` makes SQLite merge two scans or walk the whole user, and Prisma's own `cursor` option walks the whole index for a heavy user. What a deep page adds is the cursor's check (base64url decoding and one SHA-256), a longer URL to parse, and SQLite's seek into the index: in-process ~2.5 µs of JavaScript and ~1 µs of SQLite over page 1.",
    "- **The request log line written in batches** (`apps/server/src/loggerOptions.ts`): pino's default destination does one `write(2)` per line; that write was 8 % of the busy CPU at the default info level. An asynchronous destination (`sync: false`) cut it, but each of its writes goes through libuv's thread pool and wakes a thread and then the event loop (futex calls on every few requests). Lines now leave stdout synchronously once 4 KiB are pending (one write per ~20 lines), every 100 ms while idle and at exit (`loggerOptions.test.ts`): interleaved A/B under auth.check, ~3 % less CPU per request than the asynchronous destination and ~6 % less than asynchronous 4 KiB batches. As with pino's default, a stdout pipe nobody reads eventually blocks the server rather than growing its memory.",
    "- **Security headers for an API, computed once** (`securityHeadersPlugin.ts`): helmet's middleware re-parses its CSP per request, so its output is computed at start. The server answers only JSON and images, so it sends what protects an API (OWASP REST cheat sheet): HSTS, `nosniff`, `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`, `X-Frame-Options: DENY`, CORP. Helmet's seven document-only headers (COOP, Origin-Agent-Cluster, Referrer-Policy, X-DNS-Prefetch-Control, X-Download-Options, X-XSS-Protection, X-Permitted-Cross-Domain-Policies) act only when a browser renders an answer as a page, which `nosniff` and the CSP rule out: 5 headers and ~90 bytes per answer instead of 12 and ~560.",
    "- **Rate limiting, metrics and the request log cheaper per request**: the procedures a `/trpc` request calls are parsed once and shared by the rate limiter, the handler and the log line; the limiter (rate-limiter-flexible's memory store) caches the client key of the last 10,000 addresses (ipaddr parsing cost more than the counting; a hand-written synchronous counter was tried and gained nothing measurable, so the library stays); Prometheus children are kept per procedure and code instead of `labels()` hashing its labels per call. CORS is registered only with an allowlist, and the session is resolved once per HTTP request however many calls a batch carries.",
    "- **One middleware for authenticated procedures, and tRPC's spread helper patched** (`packages/api/src/trpc.ts`, `patches/@trpc+server+11.25.2.patch`): every level of tRPC's middleware chain copies the call's options and context with `_objectSpread2`, a down-compiled object spread that defines each key through `Object.defineProperty` and leaves the copies in V8's slow dictionary mode. `protectedProcedure` records its metrics and checks the session in one middleware instead of two, and the helper is patched (patch-package, applied by `npm ci`) to `Object.assign`, which copies the same keys for every call tRPC makes (its literals have no accessors; an own `__proto__` key keeps the exact path, `trpcSpreadPatch.test.ts`): the helper went from 11-15 % of the samples under auth.check load to 2-3 %, and an interleaved A/B of auth.check went from 151 to 116 µs of CPU per request together with sending the answer as the string Fastify writes (no Buffer copy).",
    "- **Procedures called without tRPC's middleware chain** (`packages/api/src/directCall.ts`): tRPC runs each middleware level as an async call that copies the call's options. The lean handler calls every procedure built as `publicProcedure`/`protectedProcedure` + at most one zod input + a resolver directly, doing inline what our one middleware does (the session check, the metrics); with no session, an input that does not parse or a failed session lookup it hands the call to tRPC before anything ran, so every error is still tRPC's own. `directCall.test.ts` compares each outcome and recorded metric with `callTRPCProcedure`, and `protocol.test.ts` compares the answers and the metrics with the stock adapter. A single call that succeeds is answered without the batch envelope arrays, and the context is awaited only if it is a promise. Interleaved A/B: auth.check 100 -> 95 µs of CPU per request for the direct calls, 99 -> 94 for the single-call answer; light deep page 199 -> 192.",
    "- **One-call hashes**: the session secret and the order cursor's check use `crypto.hash` instead of a `Hash` object (2.5 -> 1.5 µs per hash here): one per auth.check, three per deep order.list page.",
    "- **No object spread followed by more properties on the request path** (`apps/server/src/trpc/leanRequestOf.ts`, `packages/api/src/directCall.ts`): on Node 20's V8, `{ ...a, b: 1 }` gives every object it makes a hidden class of its own (`%HaveSameMap` is false for two of them; `Object.assign({}, a, { b: 1 })` and a literal with every field written out share one), and hidden classes live in the old generation. The lean handler's request object and a direct call's session context were built that way: a sampling heap profile that keeps only what young-generation collections did not free showed ~1.5 KB per request promoted, a full collection every ~10k requests, and reads of those objects went megamorphic. Written out (each has a test that fails with the spread back), no full collection runs under auth.check or order.list load, and interleaved A/B runs in quiet slices gave ~93 -> ~78 µs of CPU per auth.check and ~200 -> ~164 µs per light deep page. Prisma Client 7.10's runtime built objects the same way for every parameter of every query it rendered; the patch under Logins renders a plain template once instead.",
    "- **Memory**: idle, the server holds ~135-145 MB on SQLite, of which Prisma Client is ~70 MB (measured: +48 MB when the client and its WebAssembly query compiler are instantiated, +24 MB at the first model query; its 4.4 MB base64 module stays loaded). The server bundle is split at its dynamic imports, so PostgreSQL's Prisma Client, adapter and `pg` do not load on SQLite. Three things kept the peak up. (1) V8 recompiled the hot functions of Prisma's query compiler (and, while migrating, its schema engine) with TurboFan in the background, and those compilations left ~40-60 MB resident (idle after start: 224 MB by default, 135 MB without them). The server keeps WebAssembly on V8's baseline compiler (`--liftoff-only`, set at start in `apps/server/src/keepWasmOnBaselineCompiler.ts`): the query compiler's share of the CPU is too small for TurboFan's code to show (interleaved A/B: 2,272 vs 2,205 µs of CPU per login; order.list peak 207 -> 164 MB). (2) Garbage promoted out of the young generation piled up in the old generation, ~30 MB live, to ~110-140 MB before V8 ran one full collection, because V8 lets the old generation grow up to 4x while collecting is cheap (`--trace-gc`). Since the request path no longer promotes its objects (above), this is Prisma Client's garbage, under logins. The server sets V8's growing factor to 1.1 at start (`apps/server/src/limitHeapGrowth.ts`, V8's own lowest factor): under login load a full collection comes every ~0.6 s (~7 ms pause), and peak RSS under logins fell from ~255 MB to ~170 MB (`--trace-gc`, 10 s of logins each). (3) The young generation: halving it (`--max-semi-space-size=8`) takes another ~25 MB off but cost 3-15 % CPU per request in the same A/B runs, so it is not set. `npm start` runs the server with `--enable-source-maps` (so does this bench), which parses the bundle's source map at start and keeps it: the map leaves out the sources' text (stack traces still name the `.ts` files and lines), ~12 MB instead of ~38 MB.",
    "- **Logins**: each login is one Prisma interactive transaction (issue #11 settles that every write on SQLite goes through Prisma, the one writer). It was six statements: a lookup of the unionid's holder came before the upsert; the upsert now meets a unionid another user holds on its unique index and the login is refused as before (`UNIONID_CONFLICT`, `unionid.test.ts`), so it is five (BEGIN, upsert, session insert, count, COMMIT): 1,712 -> 1,519 µs of CPU per login in an interleaved A/B. Prisma's better-sqlite3 adapter prepared every statement again for every query; it is patched (`patches/@prisma+adapter-better-sqlite3+7.10.0.patch`, `adapterStatementCache.test.ts`) to keep the 200 most recently used per connection: 1,827 -> 1,736 µs. Prisma Client rendered every query's SQL text again on each execution: three generator passes over the template with an object spread per parameter, and a new string that the adapter's statement cache then hashed again. It is patched (`patches/@prisma+client+7.10.0.patch`, `prismaQueryRendering.test.ts`: the text and arguments sent equal what the unpatched runtime sent, on SQLite and PostgreSQL) to render a template of plain parameters once per compiled query and keep it; a template with an IN list is rendered for each call as before. A login's database write in-process went ~920-1,000 -> ~720-800 µs of CPU, and an interleaved A/B of the whole product ~1,460 -> ~1,300 µs of server CPU per login (565 -> 606 logins/s, the raw reference ~1,030/s in the same run). Session tokens now draw their random bytes from a pool (one CSPRNG call per 87 tokens: a `randomBytes` call cost ~5-20 µs here whatever its size), and the login write hands Prisma objects written out rather than spread: ~1,310 -> ~1,250 µs. What remains is Prisma Client's own work (query plans, the interactive transaction, result mapping: ~45 % of the login CPU) and the commit. Two things had skewed the figure: the WeChat emulator visited every code minted in the last five minutes on each mint, so its CPU per login grew from ~0.7 to ~2.3 ms within a minute of logins (now it drops expired codes from the front: flat at ~0.5 ms); and logins were measured once per stack, right after a 2 s warm-up (a fresh login path runs at half speed for its first seconds), where they are now interleaved rounds like every other scenario, the median kept.",
    '- **The schema engine** (WebAssembly) is loaded at start-up only when a migration is pending.',
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
    .map(
      (stack, i) =>
        `<rect x="${left + i * 230}" y="10" width="12" height="12" fill="${colors[stack]}"/><text x="${left + i * 230 + 18}" y="20" font-size="12">${stackNames[stack]}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="#fff"/>${legend}${parts.join('')}<text x="${left}" y="${height - 8}" font-size="11" fill="#666">requests per second (higher is better)</text></svg>\n`;
}

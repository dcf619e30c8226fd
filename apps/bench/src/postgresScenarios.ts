// The bench on PostgreSQL: the raw pg reference, the stock stack with adapter-pg and the product (npm start
// with a postgresql:// DATABASE_URL) on a copy of the SQLite data set, in interleaved rounds; then the
// product twice on the same database with the load split across both, against once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@wxtrpc/db';
import { runLoad, type LoadResult } from './loadGenerator.ts';
import { measureStack, summarizeRounds } from './measureStack.ts';
import { findPostgres, preparePostgresDatabase } from './postgresDataset.ts';
import type { InstancesRun, PostgresSection } from './postgresReport.ts';
import type { BenchDataset } from './prepareDatabase.ts';
import { deployedNodeArgs, deployedProductEnv } from './productEnv.ts';
import { cpuSeconds } from './processStats.ts';
import { median, stacks, type Measurement, type Stack } from './report.ts';
import { freePort, startProcess, type Running } from './spawnProcess.ts';

export interface PostgresBenchOptions {
  /** Short (smoke) mode: no extra warm-up pass. */
  short?: boolean;
  seconds: number;
  rounds: number;
  connections: number;
  dataset: BenchDataset;
  /** WECHAT_APPID, WECHAT_SECRET, WECHAT_API_BASE_URL (the emulator). */
  wechat: Record<string, string>;
  log: (line: string) => void;
}

const poolSize = 10; // the product's default DATABASE_POOL_SIZE; every stack gets the same

/** Share of all CPU time (every core) not idle since the previous reading, from /proc/stat. */
function machineCpu(): () => number {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0); // idle + iowait
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const before = read();
  return () => {
    const after = read();
    const total = after.total - before.total;
    return total > 0 ? 1 - (after.idle - before.idle) / total : Number.NaN;
  };
}

export async function runPostgresScenarios(options: PostgresBenchOptions): Promise<PostgresSection> {
  const { log, dataset } = options;
  const found = await findPostgres(log);
  if ('skipped' in found) {
    log(`PostgreSQL scenarios SKIPPED: ${found.skipped}`);
    return found;
  }
  const started: Running[] = [];
  const startedAt = performance.now();
  try {
    const database = await preparePostgresDatabase(found.server.url, dataset, log);
    const start = async (name: string, entry: string, env: Record<string, string>, ready: (url: string) => Promise<boolean>, nodeArgs: readonly string[] = []) => {
      const port = await freePort();
      const running = await startProcess(name, entry, { ...env, PORT: String(port) }, ready, port, nodeArgs);
      started.push(running);
      return running;
    };
    const authCheckAnswers = async (url: string) => (await fetch(`${url}/trpc/auth.check`)).ok;
    const productEnv = {
      ...deployedProductEnv,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(poolSize),
      ...options.wechat,
    };
    const product = path.join(repoRoot, 'apps/server/dist/main.mjs'); // what `npm start` runs, with its flags
    const productReady = async (url: string) => (await fetch(`${url}/readyz`)).ok;
    // Started together (the database is migrated already, so the two product instances have nothing to race for).
    const starting = await Promise.allSettled([
      start(
        'raw (PostgreSQL)',
        path.join(import.meta.dirname, 'references/rawPgServer.ts'),
        { DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(poolSize) },
        authCheckAnswers,
      ),
      start('stock (PostgreSQL)', path.join(import.meta.dirname, 'references/stockServer.ts'), { DATABASE_URL: database.url, ...options.wechat }, authCheckAnswers),
      start('product (PostgreSQL)', product, productEnv, productReady, deployedNodeArgs),
      start('product (PostgreSQL, second instance)', product, productEnv, productReady, deployedNodeArgs),
    ]);
    const failed = starting.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason; // every one that did start is in `started`, stopped below
    const [raw, stock, productInstance, second] = starting.map((result) => (result as PromiseFulfilledResult<Running>).value) as [Running, Running, Running, Running];
    const running: Record<Stack, Running> = { raw, stock, product: productInstance };
    log(`started on PostgreSQL: ${stacks.map((s) => `${s} ${running[s].url}`).join(', ')}, second product ${second.url}`);

    const input = (value: object) => `input=${encodeURIComponent(JSON.stringify(value))}`;
    const first = `/trpc/order.list?${input({ limit: 10 })}`;
    const deep = `/trpc/order.list?${input({ limit: 10, cursor: dataset.heavy.deep.productCursor })}`;
    const scenarios: { name: string; token: string; path: Record<Stack, string> }[] = [
      { name: 'auth.check', token: dataset.token, path: { raw: '/trpc/auth.check', stock: '/trpc/auth.check', product: '/trpc/auth.check' } },
      { name: 'order.list, light user, page 1', token: dataset.light.token, path: { raw: '/trpc/order.list', stock: first, product: first } },
      { name: 'order.list, heavy user, page 1', token: dataset.heavy.token, path: { raw: '/trpc/order.list', stock: first, product: first } },
      {
        name: 'order.list, heavy user, deep page',
        token: dataset.heavy.token,
        path: { raw: `/trpc/order.list?cursor=${encodeURIComponent(dataset.heavy.deep.rawCursor)}`, stock: deep, product: deep },
      },
    ];
    const warmUpSeconds = Math.max(1, Math.round(options.seconds / 4));
    const peakRss: Record<Stack, number> = { raw: 0, stock: 0, product: 0 };
    const rounds: Record<string, Record<Stack, Measurement[]>> = {};
    // Fresh processes: Prisma Client (its query compiler) and V8 take seconds of load to reach their pace on
    // each query shape, more than one short warm-up gives; so every stack first runs every scenario once.
    if (!options.short) {
      for (const scenario of scenarios) {
        for (const stack of stacks) {
          const headers = { authorization: `Bearer ${scenario.token}` };
          await runLoad({ url: `${running[stack].url}${scenario.path[stack]}`, headers, connections: options.connections, seconds: warmUpSeconds });
        }
      }
      log(`PostgreSQL: every stack warmed up on every scenario`);
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const scenario of scenarios) {
        const order = stacks.map((_, i) => stacks[(i + round) % stacks.length]!);
        for (const stack of order) {
          const measured = await measureStack(
            running[stack],
            { path: scenario.path[stack], token: scenario.token },
            { connections: options.connections, seconds: options.seconds, warmUpSeconds },
          );
          peakRss[stack] = Math.max(peakRss[stack], measured.peakRssMb);
          (rounds[scenario.name] ??= { raw: [], stock: [], product: [] })[stack].push(measured);
          log(
            `PostgreSQL round ${round + 1} ${scenario.name} ${stack}: ${Math.round(measured.requestsPerSecond)} req/s, p99 ${measured.p99Ms.toFixed(1)} ms, ${measured.errors} errors`,
          );
        }
      }
    }

    // One instance with every connection, then two with half each at once (alternating which goes first).
    const twoInstances = [];
    for (const scenario of scenarios.filter((s) => s.name === 'auth.check' || s.name === 'order.list, heavy user, page 1')) {
      const headers = { authorization: `Bearer ${scenario.token}` };
      const runs: Record<1 | 2, InstancesRun[]> = { 1: [], 2: [] };
      for (let round = 0; round < options.rounds; round++) {
        for (const instances of (round % 2 ? [2, 1] : [1, 2]) as (1 | 2)[]) {
          const targets = instances === 1 ? [running.product] : [running.product, second];
          const connections = Math.max(1, Math.round(options.connections / instances));
          const load = (seconds: number) => Promise.all(targets.map((target) => runLoad({ url: `${target.url}${scenario.path.product}`, headers, connections, seconds })));
          await load(warmUpSeconds);
          const cpuBefore = targets.map((target) => cpuSeconds(target.pid));
          const busy = machineCpu();
          const results: LoadResult[] = await load(options.seconds);
          const machineBusy = busy();
          const cpu = targets.reduce((sum, target, i) => sum + cpuSeconds(target.pid) - cpuBefore[i]!, 0);
          const requests = results.reduce((sum, r) => sum + r.requests, 0);
          const run: InstancesRun = {
            instances,
            connections,
            requestsPerSecond: results.reduce((sum, r) => sum + r.requestsPerSecond, 0),
            p99Ms: Math.max(...results.map((r) => r.p99Ms)),
            errors: results.reduce((sum, r) => sum + r.errors, 0),
            cpuMicrosPerRequest: requests > 0 ? (cpu * 1e6) / requests : Number.NaN,
            machineBusy,
          };
          runs[instances].push(run);
          log(
            `PostgreSQL ${scenario.name}, ${instances} instance(s): ${Math.round(run.requestsPerSecond)} req/s, p99 ${run.p99Ms.toFixed(1)} ms, machine ${Math.round(machineBusy * 100)} % busy, ${run.errors} errors`,
          );
        }
      }
      const summarizeRuns = (list: InstancesRun[]): InstancesRun => ({
        instances: list[0]!.instances,
        connections: list[0]!.connections,
        requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
        p99Ms: median(list.map((r) => r.p99Ms)),
        errors: list.reduce((sum, r) => sum + r.errors, 0),
        cpuMicrosPerRequest: median(list.map((r) => r.cpuMicrosPerRequest)),
        machineBusy: median(list.map((r) => r.machineBusy)),
      });
      twoInstances.push({ name: scenario.name, one: summarizeRuns(runs[1]), two: summarizeRuns(runs[2]) });
    }

    return {
      where: found.server.where,
      serverVersion: database.serverVersion,
      database: database.name,
      seedSeconds: database.seedSeconds,
      poolSize,
      scenarios: scenarios.map(({ name }) => ({
        name,
        results: Object.fromEntries(stacks.map((stack) => [stack, summarizeRounds(rounds[name]![stack])])) as Record<Stack, Measurement>,
      })),
      twoInstances,
      peakRssMb: peakRss,
    };
  } finally {
    await Promise.all(started.map((process) => process.stop()));
    await found.server.stop();
    log(`PostgreSQL scenarios took ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
  }
}

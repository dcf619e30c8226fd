// Starts the three stacks and the WeChat emulator on one database, runs every scenario in interleaved
// rounds, and returns the report (bench.ts writes it to docs/).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '@wxtrpc/db';
import { bundleClient } from '@wxtrpc/wx-link/bundle';
import { measureLinkBatching, measureLogins } from './clientScenarios.ts';
import { loadGeneratorName } from './loadGenerator.ts';
import { measureStack, summarizeRounds } from './measureStack.ts';
import { runPostgresScenarios } from './postgresScenarios.ts';
import { fullSize, prepareDatabase, shortSize } from './prepareDatabase.ts';
import { deployedNodeArgs, deployedProductEnv } from './productEnv.ts';
import { sampleRss } from './processStats.ts';
import { startRawLoginServer } from './rawLogins.ts';
import { median, stacks, type BenchReport, type Measurement, type Stack } from './report.ts';
import { freePort, startProcess, type Running } from './spawnProcess.ts';

export interface BenchOptions {
  short: boolean;
  seconds: number;
  rounds: number;
  connections: number;
  log: (line: string) => void;
}

const appid = 'wxbench00000000000';
const secret = 'bench000000000000000000000000000';

async function startStacks(databaseFile: string, log: (line: string) => void) {
  const started: Running[] = [];
  const track = async (process: Promise<Running>) => {
    const running = await process;
    started.push(running);
    return running;
  };
  try {
    return await startAll(databaseFile, log, track);
  } catch (error) {
    await Promise.all(started.map((process) => process.stop()));
    throw error;
  }
}

async function startAll(databaseFile: string, log: (line: string) => void, track: (process: Promise<Running>) => Promise<Running>) {
  const emulatorPort = await freePort();
  const emulator = await track(
    startProcess(
      'WeChat emulator',
      path.join(repoRoot, 'packages/wechat/src/emulator/main.ts'),
      { WECHAT_APPID: appid, WECHAT_SECRET: secret, PORT: String(emulatorPort), EMULATOR_LOGINS_PER_MINUTE: '1000000000' },
      async (url) => (await fetch(`${url}/emulator/stats`)).ok,
      emulatorPort,
    ),
  );
  const wechat = { WECHAT_APPID: appid, WECHAT_SECRET: secret, WECHAT_API_BASE_URL: emulator.url };
  const authCheckAnswers = async (url: string) => (await fetch(`${url}/trpc/auth.check`)).ok;
  const [rawPort, stockPort, productPort] = [await freePort(), await freePort(), await freePort()];
  const running: Record<Stack, Running> = {
    raw: await track(
      startProcess('raw', path.join(import.meta.dirname, 'references/rawServer.ts'), { DATABASE_FILE: databaseFile, PORT: String(rawPort) }, authCheckAnswers, rawPort),
    ),
    stock: await track(
      startProcess(
        'stock',
        path.join(import.meta.dirname, 'references/stockServer.ts'),
        { DATABASE_FILE: databaseFile, PORT: String(stockPort), ...wechat },
        authCheckAnswers,
        stockPort,
      ),
    ),
    product: await track(
      startProcess(
        'product',
        path.join(repoRoot, 'apps/server/dist/main.mjs'), // what `npm start` runs
        {
          ...deployedProductEnv,
          PORT: String(productPort),
          DATABASE_URL: `file:${databaseFile}`,
          ...wechat,
        },
        async (url) => (await fetch(`${url}/readyz`)).ok,
        productPort,
        deployedNodeArgs, // `npm start`'s flags
      ),
    ),
  };
  log(`started: emulator ${emulator.url}, ${stacks.map((s) => `${s} ${running[s].url}`).join(', ')}`);
  return { emulator, running };
}

async function clientBundleSize(): Promise<BenchReport['clientBundle']> {
  try {
    execFileSync('npm', ['run', '-s', 'build', '-w', '@wxtrpc/miniprogram'], { cwd: repoRoot, stdio: 'ignore' });
    const file = path.join(repoRoot, 'apps/miniprogram/dist/lib/api.js');
    const library = await bundleClient();
    return {
      app: { minifiedKb: statSync(file).size / 1024, gzipKb: gzipSync(readFileSync(file)).length / 1024 },
      library: { minifiedKb: library.minifiedBytes / 1024, gzipKb: library.gzipBytes / 1024 },
    };
  } catch {
    return null;
  }
}

export async function runBenchmark(options: BenchOptions): Promise<BenchReport> {
  const { log } = options;
  execFileSync('npm', ['run', '-s', 'build', '-w', '@wxtrpc/server'], { cwd: repoRoot, stdio: 'ignore' });
  const dataset = await prepareDatabase(options.short ? shortSize : fullSize, log);
  const { emulator, running } = await startStacks(dataset.file, log);
  const peakRss: Record<Stack, number> = { raw: 0, stock: 0, product: 0 };

  const input = (value: object) => `input=${encodeURIComponent(JSON.stringify(value))}`;
  const scenarios: { name: string; token: string; path: Record<Stack, string> }[] = [
    { name: 'auth.check', token: dataset.token, path: { raw: '/trpc/auth.check', stock: '/trpc/auth.check', product: '/trpc/auth.check' } },
    ...(['light', 'heavy'] as const).flatMap((who) => {
      const user = dataset[who];
      const first = `/trpc/order.list?${input({ limit: 10 })}`;
      const deep = `/trpc/order.list?${input({ limit: 10, cursor: user.deep.productCursor })}`;
      return [
        { name: `order.list, ${who} user, page 1`, token: user.token, path: { raw: '/trpc/order.list', stock: first, product: first } },
        {
          name: `order.list, ${who} user, deep page`,
          token: user.token,
          path: { raw: `/trpc/order.list?cursor=${encodeURIComponent(user.deep.rawCursor)}`, stock: deep, product: deep },
        },
      ];
    }),
  ];

  const rounds: Record<string, Record<Stack, Measurement[]>> = {};
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const scenario of scenarios) {
        // Rotate which stack goes first, so no stack always runs on a warmer or cooler machine.
        const order = stacks.map((_, i) => stacks[(i + round) % stacks.length]!);
        for (const stack of order) {
          const measured = await measureStack(
            running[stack],
            { path: scenario.path[stack], token: scenario.token },
            { connections: options.connections, seconds: options.seconds, warmUpSeconds: Math.max(1, Math.round(options.seconds / 4)) },
          );
          peakRss[stack] = Math.max(peakRss[stack], measured.peakRssMb);
          (rounds[scenario.name] ??= { raw: [], stock: [], product: [] })[stack].push(measured);
          log(`round ${round + 1} ${scenario.name} ${stack}: ${Math.round(measured.requestsPerSecond)} req/s, p99 ${measured.p99Ms.toFixed(1)} ms, ${measured.errors} errors`);
        }
      }
    }

    // Logins in interleaved rounds too, each stack first in turn, the median kept: one run of each came out
    // 10-25 % apart from the next on this machine.
    const wechat = { WECHAT_APPID: appid, WECHAT_SECRET: secret, WECHAT_API_BASE_URL: emulator.url };
    const loginTargets: Record<Stack, Running> = { product: running.product, stock: running.stock, raw: await startRawLoginServer(dataset.file, wechat) };
    const loginRounds: Record<Stack, { loginsPerSecond: number; errors: number }[]> = { raw: [], stock: [], product: [] };
    try {
      for (let round = 0; round < options.rounds; round++) {
        for (const stack of stacks.map((_, i) => stacks[(i + round) % stacks.length]!)) {
          const rss = stack === 'raw' ? null : sampleRss(running[stack].pid);
          const measured = await measureLogins(loginTargets[stack].url, emulator.url, options.seconds);
          if (rss) peakRss[stack] = Math.max(peakRss[stack], rss.stop() / (1024 * 1024));
          loginRounds[stack].push(measured);
          log(`round ${round + 1} logins ${stack}: ${Math.round(measured.loginsPerSecond)}/s`);
        }
      }
    } finally {
      await loginTargets.raw.stop();
    }
    const logins: BenchReport['logins'] = Object.fromEntries(
      stacks.map((stack) => [
        stack,
        { loginsPerSecond: median(loginRounds[stack].map((r) => r.loginsPerSecond)), errors: loginRounds[stack].reduce((sum, r) => sum + r.errors, 0) },
      ]),
    );
    const rss = sampleRss(running.product.pid);
    const batching = await measureLinkBatching(running.product.url, emulator.url, dataset.heavy.token, options.seconds);
    peakRss.product = Math.max(peakRss.product, rss.stop() / (1024 * 1024));
    log(`link: batched ${Math.round(batching.batched.callsPerSecond)} calls/s, unbatched ${Math.round(batching.unbatched.callsPerSecond)} calls/s`);
    const postgres = await runPostgresScenarios({ ...options, dataset, wechat, log });

    const cpu = os.cpus();
    return {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
      node: process.versions.node,
      loadGenerator: loadGeneratorName() === 'wrk' ? 'wrk (1 thread)' : 'autocannon',
      connections: options.connections,
      seconds: options.seconds,
      rounds: options.rounds,
      short: options.short,
      dataset: {
        ...dataset.size,
        seedSeconds: dataset.seedSeconds,
        heavyOrders: dataset.heavy.orders,
        lightOrders: dataset.light.orders,
      },
      scenarios: scenarios.map(({ name }) => ({
        name,
        results: Object.fromEntries(stacks.map((stack) => [stack, summarizeRounds(rounds[name]![stack])])) as Record<Stack, Measurement>,
      })),
      logins,
      batching,
      peakRssMb: peakRss,
      clientBundle: await clientBundleSize(),
      postgres,
    };
  } finally {
    await Promise.all([...Object.values(running), emulator].map((process) => process.stop()));
  }
}

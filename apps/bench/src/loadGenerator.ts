// HTTP load from the ecosystem: wrk (Debian package) when installed, autocannon (npm) otherwise
// (BENCH_LOAD_GENERATOR=wrk|autocannon chooses).
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}

let wrkAvailable: boolean | undefined;
export function loadGeneratorName(): 'wrk' | 'autocannon' {
  const forced = process.env.BENCH_LOAD_GENERATOR;
  if (forced === 'wrk' || forced === 'autocannon') return forced;
  if (wrkAvailable === undefined) {
    try {
      execFileSync('wrk', ['--version'], { stdio: 'ignore' });
      wrkAvailable = true;
    } catch (error) {
      // wrk --version exits 1 after printing its version; ENOENT means it is not installed
      wrkAvailable = (error as NodeJS.ErrnoException).code !== 'ENOENT';
    }
  }
  return wrkAvailable ? 'wrk' : 'autocannon';
}

const milliseconds = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!;

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  const { stdout } = await promisify(execFile)('wrk', [...args, options.url], { maxBuffer: 1 << 20 });
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(stdout);
    return match ? milliseconds(match[1]!, match[2]!) : Number.NaN;
  };
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    requests,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    errors: non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({ url: options.url, headers: options.headers, connections: options.connections, duration: options.seconds });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / options.seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return loadGeneratorName() === 'wrk' ? runWrk(options) : runAutocannon(options);
}

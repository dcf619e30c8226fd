import { runLoad } from './loadGenerator.ts';
import { cpuSeconds, sampleRss } from './processStats.ts';
import { median, type Measurement } from './report.ts';
import type { Running } from './spawnProcess.ts';

export interface StackLoad {
  connections: number;
  seconds: number;
  warmUpSeconds: number;
}

/** One measured run of a request against one stack: a warm-up, then the load, with the process's CPU per request and peak RSS. */
export async function measureStack(target: Running, request: { path: string; token: string }, load: StackLoad): Promise<Measurement> {
  const url = `${target.url}${request.path}`;
  const headers = { authorization: `Bearer ${request.token}` };
  await runLoad({ url, headers, connections: load.connections, seconds: load.warmUpSeconds });
  const rss = sampleRss(target.pid);
  const cpuBefore = cpuSeconds(target.pid);
  const result = await runLoad({ url, headers, connections: load.connections, seconds: load.seconds });
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  return {
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    cpuMicrosPerRequest: result.requests > 0 ? (cpu * 1e6) / result.requests : Number.NaN,
    peakRssMb: rss.stop() / (1024 * 1024),
    errors: result.errors,
  };
}

/** One stack's rounds of a scenario as one Measurement: the median of each figure, the highest peak RSS, every error. */
export const summarizeRounds = (runs: Measurement[]): Measurement => ({
  requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
  p50Ms: median(runs.map((r) => r.p50Ms)),
  p99Ms: median(runs.map((r) => r.p99Ms)),
  cpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
  peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
  errors: runs.reduce((sum, r) => sum + r.errors, 0),
});

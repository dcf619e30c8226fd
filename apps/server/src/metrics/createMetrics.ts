import type { ApiMetrics } from '@wxtrpc/api';
import type { AccessTokenFetchReason } from '@wxtrpc/wechat';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Metrics {
  registry: Registry;
  /** What the procedures report (packages/api). */
  api: ApiMetrics;
  /** A WeChat API call finished: `outcome` is 'ok', an errcode, 'timeout' or 'unreachable'. */
  wechatCall(endpoint: string, outcome: string): void;
  /** This instance fetched the WeChat access_token, and why. */
  accessTokenFetch(reason: AccessTokenFetchReason): void;
  /** A request refused by a rate limit. */
  rateLimited(bucket: string): void;
  /** Reports a connection pool's use at every scrape (PostgreSQL). */
  trackPool(stats: () => PoolStats): void;
}

/** The server's Prometheus metrics, in their own registry (prom-client). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: 'wxtrpc_procedure_calls_total',
    help: 'tRPC procedure calls by procedure and tRPC code (OK on success)',
    labelNames: ['procedure', 'code'],
    registers,
  });
  const durations = new Histogram({
    name: 'wxtrpc_procedure_duration_seconds',
    help: 'tRPC procedure call duration',
    labelNames: ['procedure'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const sessionsCreated = new Counter({ name: 'wxtrpc_sessions_created_total', help: 'Sessions opened by logins', registers });
  const sessionsEnded = new Counter({ name: 'wxtrpc_sessions_ended_total', help: 'Sessions ended, by reason', labelNames: ['reason'], registers });
  const wechatCalls = new Counter({
    name: 'wxtrpc_wechat_calls_total',
    help: 'WeChat API calls by endpoint and outcome (ok or errcode)',
    labelNames: ['endpoint', 'outcome'],
    registers,
  });
  const accessTokenFetches = new Counter({
    name: 'wxtrpc_access_token_fetches_total',
    help: 'WeChat access_token fetches by this instance, by reason: missing, ahead (of expiry), rejected (40001/40014/42001), force (force_refresh)',
    labelNames: ['reason'],
    registers,
  });
  const rateLimited = new Counter({ name: 'wxtrpc_rate_limited_total', help: 'Requests refused by a rate limit, by bucket', labelNames: ['bucket'], registers });
  const pool: { stats?: () => PoolStats } = {};
  new Gauge({
    name: 'wxtrpc_database_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting clients)',
    labelNames: ['state'],
    registers,
    collect() {
      if (!pool.stats) return;
      const { total, idle, waiting } = pool.stats();
      this.set({ state: 'total' }, total);
      this.set({ state: 'idle' }, idle);
      this.set({ state: 'waiting' }, waiting);
    },
  });

  const callsOf = new Map<string, Map<string, { inc(): void }>>();
  const durationsOf = new Map<string, { observe(value: number): void }>();
  return {
    registry,
    api: {
      procedureCall(path, code, seconds) {
        // prom-client checks and hashes the labels on every labels() call; the children are reused instead
        // (a handful of procedures and codes).
        let byCode = callsOf.get(path);
        if (!byCode) callsOf.set(path, (byCode = new Map()));
        let counter = byCode.get(code);
        if (!counter) byCode.set(code, (counter = calls.labels(path, code)));
        counter.inc();
        let histogram = durationsOf.get(path);
        if (!histogram) durationsOf.set(path, (histogram = durations.labels(path)));
        histogram.observe(seconds);
      },
      sessionsCreated: (count) => sessionsCreated.inc(count),
      sessionsEnded: (reason, count) => sessionsEnded.labels(reason).inc(count),
      rateLimited: (bucket) => rateLimited.labels(bucket).inc(),
    },
    wechatCall: (endpoint, outcome) => wechatCalls.labels(endpoint, outcome).inc(),
    accessTokenFetch: (reason) => accessTokenFetches.labels(reason).inc(),
    rateLimited: (bucket) => rateLimited.labels(bucket).inc(),
    trackPool(stats) {
      pool.stats = stats;
    },
  };
}

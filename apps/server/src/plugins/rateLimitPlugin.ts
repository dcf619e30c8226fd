import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { readTrpcRequest } from '../trpc/readTrpcRequest.ts';

export interface RateLimits {
  /** auth.login calls per client per minute (0: unlimited). */
  loginPerMinute: number;
  /** HTTP requests per client per minute, health checks aside (0: unlimited). */
  requestsPerMinute: number;
  /** Told of every refusal, with the bucket ('requests' or 'login'). */
  onRefused?: (bucket: 'requests' | 'login') => void;
}

const unlimitedRoutes = new Set(['/healthz', '/readyz']);
export const trpcRoute = '/trpc/:path';

const keys = new Map<string, string>();

/** The client an IPv4 address is, or the /64 an IPv6 address belongs to (one subscriber's usual share). */
export function clientKey(ip: string): string {
  // Parsing the address cost more than the limiter itself: remember the last 10,000 addresses' keys.
  let key = keys.get(ip);
  if (key === undefined) {
    if (keys.size >= 10_000) keys.clear();
    keys.set(ip, (key = parseClientKey(ip)));
  }
  return key;
}

function parseClientKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip); // IPv4-mapped IPv6 becomes IPv4
  return address.kind() === 'ipv4' ? address.toString() : `${(address as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

/** auth.login calls in a /trpc request, counted from the paths tRPC will run (any spelling, any batch). */
function loginCalls(request: FastifyRequest): number {
  if (request.routeOptions.url !== trpcRoute) return 0;
  const { paths } = readTrpcRequest(request as FastifyRequest<{ Params: { path: string } }>);
  return paths?.filter((path) => path === 'auth.login').length ?? 0;
}

/**
 * Fixed windows per key in this instance's memory, as rate-limiter-flexible's RateLimiterMemory counts
 * (a window opens at a key's first request and lasts `durationMs`; refused requests count too), but
 * synchronous: no promise per request and no timer per key. Expired windows are swept once a window.
 */
export class FixedWindowLimiter {
  readonly #windows = new Map<string, { points: number; endsAt: number }>();
  #sweepAt: number;

  constructor(
    readonly points: number,
    readonly durationMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#sweepAt = now() + durationMs;
  }

  /** Takes `cost` points from `key`; returns 0 when allowed, else the milliseconds until its window ends. */
  consume(key: string, cost: number): number {
    const at = this.now();
    if (at >= this.#sweepAt) {
      for (const [k, window] of this.#windows) if (window.endsAt <= at) this.#windows.delete(k);
      this.#sweepAt = at + this.durationMs;
    }
    let window = this.#windows.get(key);
    if (!window || window.endsAt <= at) this.#windows.set(key, (window = { points: 0, endsAt: at + this.durationMs }));
    window.points += cost;
    return window.points > this.points ? window.endsAt - at : 0;
  }
}

const tooManyRequests = (msBeforeNext: number) =>
  Object.assign(new Error(`Too many requests from this address; retry in ${Math.max(1, Math.ceil(msBeforeNext / 1000))} seconds`), { statusCode: 429 });

/**
 * Per-client limits, in this instance's memory: every request costs one from the general bucket, and
 * each auth.login call (one WeChat call each) one from the tighter login bucket, so a batch of N logins
 * costs N. Keys come from the routed request, so no spelling of the URL escapes them. Over a limit: 429
 * TOO_MANY_REQUESTS with Retry-After, and the connection is closed. Behind a proxy, set TRUST_PROXY.
 */
async function register(app: FastifyInstance, limits: RateLimits) {
  const requests = limits.requestsPerMinute > 0 ? new FixedWindowLimiter(limits.requestsPerMinute, 60_000) : null;
  const logins = limits.loginPerMinute > 0 ? new FixedWindowLimiter(limits.loginPerMinute, 60_000) : null;
  if (!requests && !logins) return;

  // A callback hook, not an async one: the check is synchronous, and an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    if (unlimitedRoutes.has(request.routeOptions.url ?? '')) return done();
    const client = clientKey(request.ip);
    let bucket: 'requests' | 'login' = 'requests';
    let waitMs = requests ? requests.consume(client, 1) : 0;
    if (waitMs === 0 && logins) {
      const calls = loginCalls(request);
      bucket = 'login';
      if (calls > 0) waitMs = logins.consume(client, calls);
    }
    if (waitMs === 0) return done();
    limits.onRefused?.(bucket);
    reply.header('retry-after', Math.max(1, Math.ceil(waitMs / 1000))).header('connection', 'close');
    done(tooManyRequests(waitMs));
  });
}

/** Applies to the whole server (fastify-plugin lifts it out of its own scope). */
export const rateLimitPlugin = fp(register, { fastify: '5.x', name: 'rate-limits' });

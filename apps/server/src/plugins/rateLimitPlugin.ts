import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
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

const tooManyRequests = (msBeforeNext: number) =>
  Object.assign(new Error(`Too many requests from this address; retry in ${Math.max(1, Math.ceil(msBeforeNext / 1000))} seconds`), { statusCode: 429 });

/**
 * Per-client limits, in this instance's memory: every request costs one from the general bucket, and
 * each auth.login call (one WeChat call each) one from the tighter login bucket, so a batch of N logins
 * costs N. Keys come from the routed request, so no spelling of the URL escapes them. Over a limit: 429
 * TOO_MANY_REQUESTS with Retry-After, and the connection is closed. Behind a proxy, set TRUST_PROXY.
 */
async function register(app: FastifyInstance, limits: RateLimits) {
  const requests = limits.requestsPerMinute > 0 ? new RateLimiterMemory({ points: limits.requestsPerMinute, duration: 60 }) : null;
  const logins = limits.loginPerMinute > 0 ? new RateLimiterMemory({ points: limits.loginPerMinute, duration: 60 }) : null;
  if (!requests && !logins) return;

  app.addHook('onRequest', async (request, reply) => {
    if (unlimitedRoutes.has(request.routeOptions.url ?? '')) return;
    const client = clientKey(request.ip);
    let bucket: 'requests' | 'login' = 'requests';
    try {
      await requests?.consume(client, 1);
      const calls = logins ? loginCalls(request) : 0;
      bucket = 'login';
      if (calls > 0) await logins!.consume(client, calls);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      limits.onRefused?.(bucket);
      reply.header('retry-after', Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))).header('connection', 'close');
      throw tooManyRequests(rejection.msBeforeNext);
    }
  });
}

/** Applies to the whole server (fastify-plugin lifts it out of its own scope). */
export const rateLimitPlugin = fp(register, { fastify: '5.x', name: 'rate-limits' });

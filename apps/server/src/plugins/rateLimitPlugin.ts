import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface RateLimits {
  /** auth.login calls per client IP per minute (0: unlimited). */
  loginPerMinute: number;
  /** Other /trpc requests per client IP per minute (0: unlimited). */
  requestsPerMinute: number;
}

/** Whether the request (possibly a batch like /trpc/auth.check,auth.login) calls auth.login. */
const callsLogin = (request: FastifyRequest) => {
  const path = request.url.slice('/trpc/'.length).split('?')[0] ?? '';
  return path.split(',').includes('auth.login');
};

/**
 * Per-IP limits, tighter for auth.login (each one costs a WeChat call) than for reads. Over the limit a
 * client gets 429 TOO_MANY_REQUESTS with Retry-After. Behind a proxy, set TRUST_PROXY so the IP is the client's.
 */
async function register(app: FastifyInstance, limits: RateLimits) {
  if (limits.loginPerMinute === 0 && limits.requestsPerMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    allowList: (request) => !request.url.startsWith('/trpc/'),
    keyGenerator: (request) => `${request.ip}|${callsLogin(request) ? 'login' : 'api'}`,
    max: (_request, key) => {
      const max = key.endsWith('|login') ? limits.loginPerMinute : limits.requestsPerMinute;
      return max === 0 ? Number.MAX_SAFE_INTEGER : max;
    },
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Too many requests from this address; retry in ${context.after}`,
    }),
  });
}

/** Applies to the whole server (fastify-plugin lifts it out of its own scope). */
export const rateLimitPlugin = fp(register, { fastify: '5.x', name: 'rate-limits' });

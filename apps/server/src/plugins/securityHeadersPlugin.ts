import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

/** Security headers (helmet). The server only answers JSON, so the content policy forbids everything. */
async function register(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
}

/** Applies to the whole server (fastify-plugin lifts it out of its own scope). */
export const securityHeadersPlugin = fp(register, { fastify: '5.x', name: 'security-headers' });

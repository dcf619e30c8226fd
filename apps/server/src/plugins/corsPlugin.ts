import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

/**
 * CORS only for the origins listed in CORS_ORIGINS (web tools, admin pages). Mini-programs call through
 * wx.request, which CORS does not apply to, so the default is no cross-origin access.
 */
async function register(app: FastifyInstance, { origins }: { origins: string[] }) {
  // Without an allowlist nothing is registered: no CORS headers means browsers allow no cross-origin calls.
  if (origins.length === 0) return;
  await app.register(cors, { origin: origins, allowedHeaders: ['authorization', 'content-type'], maxAge: 600 });
}

/** Applies to the whole server (fastify-plugin lifts it out of its own scope). */
export const corsPlugin = fp(register, { fastify: '5.x', name: 'cors-origins' });

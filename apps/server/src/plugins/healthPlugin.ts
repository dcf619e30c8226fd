import type { FastifyInstance } from 'fastify';

/** /healthz: the process answers. /readyz: the database answers too. */
export async function healthPlugin(app: FastifyInstance, { ping }: { ping: () => Promise<void> }) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await ping();
      return { status: 'ready' };
    } catch (error) {
      request.log.error({ err: error }, 'readiness check failed: database did not answer');
      return reply.code(503).send({ status: 'unavailable', reason: 'database' });
    }
  });
}

import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../metrics/createMetrics.ts';

export interface MetricsExposure {
  /** Serve /metrics on its own listener at this port (0: any free port). */
  port: number | undefined;
  host: string;
  /** Serve /metrics on the main port to requests bearing this token. */
  token: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Where the separate metrics listener is, once the app is ready (METRICS_PORT). */
    metricsUrl: string | null;
  }
}

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * GET /metrics in Prometheus' text format, never public: on a separate METRICS_PORT (for a scraper on the
 * private network), and/or on the main port for requests with `Authorization: Bearer <METRICS_TOKEN>`
 * (others get 404, as if it did not exist). With neither set it is not served, and start-up says so.
 */
async function register(app: FastifyInstance, { metrics, exposure }: { metrics: Metrics; exposure: MetricsExposure }) {
  app.decorate('metricsUrl', null);
  const scrape = async () => metrics.registry.metrics();
  if (exposure.port === undefined && exposure.token === undefined) {
    app.log.info('metrics are off: set METRICS_PORT or METRICS_TOKEN to serve /metrics');
    return;
  }
  if (exposure.token !== undefined) {
    const expected = `Bearer ${exposure.token}`;
    app.get('/metrics', async (request, reply) => {
      if (!sameSecret(request.headers.authorization ?? '', expected)) return reply.callNotFound();
      return reply.type(metrics.registry.contentType).send(await scrape());
    });
  }
  if (exposure.port !== undefined) {
    const listener = Fastify({ logger: false });
    listener.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await scrape()));
    app.addHook('onReady', async () => {
      app.metricsUrl = await listener.listen({ host: exposure.host, port: exposure.port });
    });
    app.addHook('onClose', () => listener.close());
  }
}

/** Applies to the whole server (fastify-plugin lifts it out of its own scope). */
export const metricsPlugin = fp(register, { fastify: '5.x', name: 'metrics' });

import { deleteUnusedAvatars } from '@wxtrpc/api';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { createServices, type Services } from './createServices.ts';
import { frameworkErrorHandler, installErrorHandlers } from './errorHandlers.ts';
import { loggerOptions } from './loggerOptions.ts';
import { RequestLogController } from './RequestLogController.ts';
import { avatarsPlugin } from './plugins/avatarsPlugin.ts';
import { corsPlugin } from './plugins/corsPlugin.ts';
import { metricsPlugin } from './plugins/metricsPlugin.ts';
import { healthPlugin } from './plugins/healthPlugin.ts';
import { rateLimitPlugin } from './plugins/rateLimitPlugin.ts';
import { securityHeadersPlugin } from './plugins/securityHeadersPlugin.ts';
import { cleanupPlugin } from './plugins/cleanupPlugin.ts';
import { trpcPlugin } from './plugins/trpcPlugin.ts';

/** Largest request body, in bytes (JSON parsed by Fastify and FormData read by tRPC alike). */
const bodyLimit = 1_048_576;

export interface BuildAppOptions {
  config: Config;
  /** The clock sessions and watermarks use (tests move it). */
  now?: () => Date;
  /** Where log lines go (tests read them); stdout by default. */
  logStream?: { write(line: string): void };
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** Builds the whole server without listening, so tests can start it on port 0. */
export async function buildApp({ config, now, logStream }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit,
    logger: await loggerOptions(config, logStream),
    logController: new RequestLogController(),
    // Batched tRPC paths (auth.check,order.list,...) are long.
    routerOptions: { maxParamLength: 5_000 },
    forceCloseConnections: 'idle',
    // Slow and stalled clients: a request must arrive whole within REQUEST_TIMEOUT_MS and its headers within
    // HEADERS_TIMEOUT_MS, else 408 and the socket closes; Node looks for expired requests every
    // connectionsCheckingInterval (30 s by default). Fastify overwrites requestTimeout (its default, 0, is off)
    // and keepAliveTimeout on the server it creates; Node's constructor checks headersTimeout <= requestTimeout.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    http: { requestTimeout: config.REQUEST_TIMEOUT_MS, headersTimeout: config.HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
    trustProxy: config.TRUST_PROXY,
    frameworkErrors: frameworkErrorHandler,
  });
  // Beyond it, Node closes each new connection as soon as it is accepted.
  app.server.maxConnections = config.MAX_CONNECTIONS;
  const services = await createServices(config, app.log, now);
  app.decorate('services', services);
  app.addHook('onClose', () => services.close());

  // While closing, keep-alive sockets that go idle after close() began (their last response sent)
  // would hold the shutdown open: close them as they go idle.
  app.addHook('preClose', async () => {
    const timer = setInterval(() => app.server.closeIdleConnections(), 25);
    app.server.once('close', () => clearInterval(timer));
  });

  installErrorHandlers(app);
  await app.register(securityHeadersPlugin);
  await app.register(corsPlugin, { origins: config.CORS_ORIGINS });
  await app.register(rateLimitPlugin, {
    loginPerMinute: config.RATE_LIMIT_LOGIN_PER_MINUTE,
    requestsPerMinute: config.RATE_LIMIT_PER_MINUTE,
    onRefused: services.metrics.rateLimited,
  });
  await app.register(metricsPlugin, { metrics: services.metrics, exposure: { port: config.METRICS_PORT, host: config.HOST, token: config.METRICS_TOKEN } });
  await app.register(healthPlugin, { ping: services.database.ping });
  await app.register(trpcPlugin, { services: services.api, maxBodySize: bodyLimit, publicBaseUrl: config.PUBLIC_BASE_URL });
  await app.register(avatarsPlugin, { services: services.api });
  await app.register(cleanupPlugin, {
    tasks: {
      'expired sessions removed': services.api.sessions.deleteExpired,
      'unused avatar uploads removed': () => deleteUnusedAvatars(services.api.db, services.api.now()),
    },
    intervalMs: config.SESSION_CLEANUP_INTERVAL_SECONDS * 1000,
  });
  return app;
}

import { appRouter, createContextFactory, maxBatchSize, type ApiServices } from '@wxtrpc/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createTrpcHandler } from '../trpc/createTrpcHandler.ts';

/**
 * tRPC at /trpc (plain JSON), served by our lean handler (trpc/createTrpcHandler.ts) instead of the stock
 * fastifyTRPCPlugin; same wire protocol, a fraction of the cost per request.
 */
export async function trpcPlugin(app: FastifyInstance, { services }: { services: ApiServices }) {
  const createContext = createContextFactory(services);
  const handle = createTrpcHandler({
    router: appRouter,
    maxBatchSize,
    createContext: (request: FastifyRequest) => createContext({ authorization: request.headers.authorization }),
    onError({ error, path, request }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') request.log.error({ err: error.cause ?? error, path }, 'procedure failed');
    },
  });

  // Bodies reach the handler as text, whatever their type: it parses JSON lazily and answers the rest itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.route<{ Params: { path: string }; Querystring: { batch?: string; input?: string } }>({
    method: ['GET', 'POST', 'HEAD'],
    url: '/trpc/:path',
    exposeHeadRoute: false,
    async handler(request, reply) {
      const response = await handle(
        {
          method: request.method,
          path: request.params.path,
          batch: request.query.batch === '1',
          inputParam: request.query.input,
          body: typeof request.body === 'string' ? request.body : undefined,
          contentType: request.headers['content-type'],
        },
        request,
      );
      reply.code(response.status).header('vary', 'trpc-accept, accept');
      if (response.allow) reply.header('allow', response.allow);
      if (response.body === null) return reply.send();
      return reply.type('application/json').send(response.body);
    },
  });
}

import { fastifyRequestHandler, type FastifyHandlerOptions } from '@trpc/server/adapters/fastify';
import { appRouter, createContextFactory, directCalls, maxBatchSize, useTrpc, type ApiServices, type AppRouter } from '@wxtrpc/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createLeanTrpcHandler } from '../trpc/createLeanTrpcHandler.ts';
import { leanRequestOf } from '../trpc/leanRequestOf.ts';
import { publicOrigin } from '../publicOrigin.ts';

type TrpcRequest = FastifyRequest<{ Params: { path: string } }>;

const asIs = (body: string) => body;

/**
 * tRPC at /trpc, plain JSON. Plain queries, mutations and batches take the lean handler
 * (trpc/createLeanTrpcHandler.ts); every other request goes to tRPC's own Fastify adapter, so the wire
 * protocol is exactly the stock adapter's.
 */
export interface TrpcPluginOptions {
  services: ApiServices;
  maxBodySize: number;
  /** PUBLIC_BASE_URL; unset: each request's own origin. */
  publicBaseUrl: string | undefined;
}

export async function trpcPlugin(app: FastifyInstance, { services, maxBodySize, publicBaseUrl }: TrpcPluginOptions) {
  const createContext = createContextFactory(services);
  const contextOf = (request: FastifyRequest) => createContext({ authorization: request.headers.authorization, baseUrl: () => publicBaseUrl ?? publicOrigin(request) });
  const onError = ({ error, path, request }: { error: { code: string; cause?: unknown }; path: string | undefined; request: FastifyRequest }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') request.log.error({ err: error.cause ?? error, path }, 'procedure failed');
  };
  const lean = createLeanTrpcHandler({
    router: appRouter,
    maxBatchSize,
    createContext: contextOf,
    direct: { calls: directCalls(appRouter), useTrpc },
    onError,
  });
  const stock = {
    router: appRouter,
    maxBatchSize,
    maxBodySize,
    createContext: ({ req }: { req: FastifyRequest }) => contextOf(req),
    onError: ({ error, path, req }: { error: { code: string; cause?: unknown }; path: string | undefined; req: FastifyRequest }) => onError({ error, path, request: req }),
  } satisfies Omit<FastifyHandlerOptions<AppRouter, FastifyRequest, FastifyReply>, 'req' | 'res' | 'path'>;

  // Bodies are parsed as fastifyTRPCPlugin has Fastify parse them: JSON as text (tRPC parses it), FormData
  // as the raw stream (tRPC reads it), text/plain as Fastify's default; other types get Fastify's 415.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('multipart/form-data', {}, (_request, body, done) => done(null, body));

  app.all<{ Params: { path: string } }>('/trpc/:path', async (request: TrpcRequest, reply) => {
    const answer = await lean(leanRequestOf(request), request);
    if (!answer) return fastifyRequestHandler({ ...stock, req: request, res: reply, path: request.params.path });
    // The string as is (no Buffer copy), through a pass-through serializer so Fastify sends the content type exactly as
    // tRPC does: it adds a charset to JSON strings only when no serializer is set.
    return reply.code(answer.status).headers({ vary: 'trpc-accept, accept', 'content-type': 'application/json' }).serializer(asIs).send(answer.body);
  });
}

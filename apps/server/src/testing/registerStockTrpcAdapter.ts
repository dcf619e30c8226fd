// The stock tRPC Fastify adapter on our router: the reference the lean handler is compared with
// (trpc/protocol.test.ts) and measured against (apps/bench).
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { appRouter, createContextFactory, maxBatchSize, type ApiServices, type AppRouter } from '@wxtrpc/api';
import type { FastifyInstance } from 'fastify';
import { publicOrigin } from '../publicOrigin.ts';

export async function registerStockTrpcAdapter(app: FastifyInstance, services: ApiServices) {
  const createContext = createContextFactory(services);
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      maxBatchSize,
      createContext: ({ req }) => createContext({ authorization: req.headers.authorization, baseUrl: () => publicOrigin(req) }),
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
}

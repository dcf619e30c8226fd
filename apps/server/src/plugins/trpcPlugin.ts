import { appRouter, createContextFactory, maxBatchSize, type ApiServices, type AppRouter } from '@wxtrpc/api';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { FastifyInstance } from 'fastify';

/** tRPC at /trpc (plain JSON). Registered directly, not through fastify-plugin, so its body parser stays scoped. */
export async function trpcPlugin(app: FastifyInstance, { services }: { services: ApiServices }) {
  const createContext = createContextFactory(services);
  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      maxBatchSize,
      createContext: ({ req }) => createContext({ authorization: req.headers.authorization }),
      onError({ error, path, req }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error.cause ?? error, path }, 'procedure failed');
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
}

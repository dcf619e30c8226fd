// Reference 2, "what the docs lead to": the same appRouter served by the stock tRPC Fastify adapter, with
// the data through Prisma Client and its official better-sqlite3 adapter.
import { createSessionService } from '@wxtrpc/api';
import { openPrismaSqliteStore } from '@wxtrpc/db/prisma';
import { registerStockTrpcAdapter } from '@wxtrpc/server/stock-trpc-adapter';
import { createWechatClient } from '@wxtrpc/wechat';
import Fastify from 'fastify';

const store = await openPrismaSqliteStore(process.env.DATABASE_FILE!);
const appid = process.env.WECHAT_APPID!;
const services = {
  store,
  sessions: createSessionService({ store }),
  wechat: createWechatClient({ appid, secret: process.env.WECHAT_SECRET!, baseUrl: process.env.WECHAT_API_BASE_URL! }),
  appid,
  watermarkMaxAgeSeconds: 600,
  now: () => new Date(),
};

const app = Fastify({ routerOptions: { maxParamLength: 5_000 } });
await registerStockTrpcAdapter(app, services);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');

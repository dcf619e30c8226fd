// Reference 2, "what the docs lead to": the same appRouter served by the stock tRPC Fastify adapter, with
// the data through Prisma Client and its official better-sqlite3 adapter (DATABASE_FILE), or its official pg
// adapter when DATABASE_URL names a PostgreSQL database.
import { createSessionService, createUserLimits, noMetrics } from '@wxtrpc/api';
import { openDatabase } from '@wxtrpc/db';
import { registerStockTrpcAdapter } from '@wxtrpc/server/stock-trpc-adapter';
import { createWechatClient } from '@wxtrpc/wechat';
import Fastify from 'fastify';

// The product's own database code, with the hot reads as their Prisma twins: every query through Prisma Client.
const postgresUrl = process.env.DATABASE_URL;
const location = postgresUrl ? ({ provider: 'postgresql', url: postgresUrl } as const) : ({ provider: 'sqlite', file: process.env.DATABASE_FILE! } as const);
const { db, hot } = await openDatabase(location, { hotQueries: 'prisma' });
const appid = process.env.WECHAT_APPID!;
const services = {
  db,
  hot,
  sessions: createSessionService({ db, findSession: hot.findSession }),
  userLimits: createUserLimits(db),
  metrics: noMetrics,
  log: { warn() {} },
  wechat: createWechatClient({ appid, secret: process.env.WECHAT_SECRET!, baseUrl: process.env.WECHAT_API_BASE_URL! }),
  appid,
  watermarkMaxAgeSeconds: 600,
  now: () => new Date(),
};

const app = Fastify({ routerOptions: { maxParamLength: 5_000 } });
await registerStockTrpcAdapter(app, services);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');

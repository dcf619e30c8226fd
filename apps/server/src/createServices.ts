import { createSessionService, createUserLimits, type ApiServices } from '@wxtrpc/api';
import { createMetrics, type Metrics } from './metrics/createMetrics.ts';
import { applyMigrations, createAccessTokenStore, openDatabase, resolveDatabaseUrl, type Database } from '@wxtrpc/db';
import { createAccessTokenManager, createWechatClient, emulatedOpenid, startWechatEmulator, type RunningWechatEmulator } from '@wxtrpc/wechat';
import type { FastifyBaseLogger } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import { databaseFailure } from './databaseFailure.ts';
import { StartupError } from './startupFailure.ts';
import { seedDemoData } from './seedDemoData.ts';

/** The appid the in-process emulator plays; fixed so the demo user's openid is the same at every start. */
export const emulatorAppid = 'wxemulator000000';
export const demoUser = 'demo';

export interface Services {
  api: ApiServices;
  database: Database;
  metrics: Metrics;
  emulator: RunningWechatEmulator | null;
  close(): Promise<void>;
}

/** Migrates and opens the database, connects WeChat (or starts the emulator), and wires the procedures' services. */
export async function createServices(config: Config, log: FastifyBaseLogger, now: () => Date = () => new Date()): Promise<Services> {
  const location = resolveDatabaseUrl(config.DATABASE_URL);
  const applied = await applyMigrations(location).catch((error: unknown) => {
    throw new StartupError(databaseFailure(error, location));
  });
  const where = location.provider === 'sqlite' ? location.file : `PostgreSQL ${new URL(location.url).host}`; // never the password
  log.info({ database: where, applied }, applied.length > 0 ? 'database migrated' : 'database up to date');
  const database = await openDatabase(location, {
    poolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    ...(config.DATABASE_SSL ? { ssl: config.DATABASE_SSL } : {}),
  });

  let emulator: RunningWechatEmulator | null = null;
  let wechat = { appid: config.WECHAT_APPID ?? emulatorAppid, secret: config.WECHAT_SECRET ?? '', baseUrl: config.WECHAT_API_BASE_URL };
  try {
    if (config.wechatEmulator) {
      const secret = randomBytes(16).toString('hex');
      emulator = await startWechatEmulator({ appid: emulatorAppid, secret, host: '127.0.0.1', port: config.WECHAT_EMULATOR_PORT });
      wechat = { appid: emulatorAppid, secret, baseUrl: emulator.url };
      log.warn({ emulator: emulator.url }, `WeChat EMULATOR mode (no WECHAT_APPID set): logins are emulated; mint a code with POST ${emulator.url}/emulator/wx-login`);
      const seeded = await seedDemoData(database.db, emulatedOpenid(emulatorAppid, demoUser));
      if (seeded) log.info({ orders: seeded.orders }, `seeded demo user "${demoUser}" with orders`);
    }
  } catch (error) {
    await emulator?.close();
    await database.close();
    throw error;
  }

  const metrics = createMetrics();
  if (database.poolStats) metrics.trackPool(database.poolStats);
  const sessions = createSessionService({
    db: database.db,
    findSession: database.hot.findSession,
    now,
    ttlMs: config.SESSION_TTL_DAYS * 24 * 3_600_000,
    maxPerUser: config.SESSION_MAX_PER_USER,
    metrics: metrics.api,
  });
  const wechatSettings = { ...wechat, timeoutMs: config.WECHAT_TIMEOUT_MS, onCall: metrics.wechatCall };
  // The access_token lives in the database, shared by every instance (one fetch at a time across them).
  const accessTokens = createAccessTokenManager({
    ...wechatSettings,
    store: createAccessTokenStore(database.db),
    now: () => now().getTime(),
    onFetch: metrics.accessTokenFetch,
  });
  return {
    api: {
      db: database.db,
      hot: database.hot,
      sessions,
      userLimits: createUserLimits(database.db),
      metrics: metrics.api,
      log,
      wechat: createWechatClient({ ...wechatSettings, accessTokens }),
      appid: wechat.appid,
      watermarkMaxAgeSeconds: config.WECHAT_WATERMARK_MAX_AGE_SECONDS,
      now,
    },
    database,
    metrics,
    emulator,
    async close() {
      await emulator?.close();
      await database.close();
    },
  };
}

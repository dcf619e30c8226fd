// Starts the real server on port 0 with a fresh SQLite file and its own WeChat emulator, for tests over HTTP.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@wxtrpc/api';
import { resolveDatabaseUrl, type Db } from '@wxtrpc/db';
import { startWechatEmulator, type RunningWechatEmulator } from '@wxtrpc/wechat';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { dumpPostgresTables } from './dumpPostgresTables.ts';
import { findLeaks, type IssuedSecrets } from './findLeaks.ts';
import { recordResponseBodies } from './recordResponseBodies.ts';

export const testAppid = 'wx1234567890abcdef';
export const testSecret = '0123456789abcdef0123456789abcdef';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  emulator: RunningWechatEmulator;
  databaseFile: string;
  /** The server's own Prisma Client (write test data with @wxtrpc/db's factory). */
  db: Db;
  /** Every log line the server wrote. */
  logs: string[];
  /** Every response body the server sent, whichever client read it. */
  bodies: string[];
  /** The clock both the server and the emulator read; move it with `advance`. */
  now(): Date;
  advance(ms: number): void;
  /** Plays wx.login for an emulated user: a fresh one-time code. */
  mint(user?: string): Promise<string>;
  /** POSTs JSON to the emulator (its /emulator/* endpoints). */
  emulatorPost(pathname: string, body?: unknown): Promise<any>;
  /** A typed client; `batch` uses httpBatchLink. */
  client(token?: string | null, options?: { batch?: boolean }): ReturnType<typeof createTRPCClient<AppRouter>>;
  /** Logs an emulated user in through auth.login. */
  login(user?: string): Promise<{ token: string; expiresAt: string; user: { id: string; nickName: string | null; avatarUrl: string | null } }>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: { env?: Record<string, string>; appid?: string; emulator?: { loginsPerMinute?: number; unionid?: boolean } } = {},
): Promise<TestServer> {
  let clock = Date.now();
  const appid = options.appid ?? testAppid;
  const emulator = await startWechatEmulator({ appid, secret: testSecret, now: () => clock, ...options.emulator });
  const dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-server-'));
  const databaseFile = path.join(dir, 'test.db');
  const logs: string[] = [];
  const bodies: string[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: `file:${databaseFile}`,
    WECHAT_APPID: appid,
    WECHAT_SECRET: testSecret,
    WECHAT_API_BASE_URL: emulator.url,
    WECHAT_TIMEOUT_MS: '1000',
    // Tests log in far more often than a person; rateLimit.test.ts checks the limits themselves.
    RATE_LIMIT_LOGIN_PER_MINUTE: '0',
    RATE_LIMIT_PER_MINUTE: '0',
    ...options.env,
  });
  const location = resolveDatabaseUrl(config.DATABASE_URL);
  const app = await buildApp({ config, now: () => new Date(clock), logStream: { write: (line) => void logs.push(line) } });
  // Every body the server sends, so tests can prove what never reaches a client.
  recordResponseBodies(app.server, bodies);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });

  const emulatorPost = async (pathname: string, body: unknown = {}) => {
    const response = await fetch(`${emulator.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`emulator ${pathname}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  const mint = async (user = 'alice') => ((await emulatorPost('/emulator/wx-login', { user })) as { code: string }).code;

  const client = (token?: string | null, { batch = false } = {}) => {
    const linkOptions = {
      url: `${url}/trpc`,
      headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
    };
    return createTRPCClient<AppRouter>({ links: [batch ? httpBatchLink(linkOptions) : httpLink(linkOptions)] });
  };

  return {
    app,
    url,
    emulator,
    databaseFile,
    db: app.services.database.db,
    logs,
    bodies,
    now: () => new Date(clock),
    advance: (ms) => void (clock += ms),
    mint,
    emulatorPost,
    client,
    login: async (user = 'alice') => client().auth.login.mutate({ code: await mint(user) }),
    /** Stops everything, after checking that no secret leaked into a log, a response or the database. */
    async close() {
      try {
        const issued = (await (await fetch(`${emulator.url}/emulator/issued`)).json()) as IssuedSecrets;
        await app.close(); // flushes the last log lines and the database before the scan
        const database =
          location.provider === 'postgresql'
            ? Buffer.from(await dumpPostgresTables(location.url))
            : Buffer.concat(await Promise.all(['', '-wal'].map((suffix) => readFile(`${location.file}${suffix}`).catch(() => Buffer.alloc(0)))));
        const leaks = findLeaks({ logs, bodies, database, ...issued, wechatSecret: testSecret });
        if (leaks.length > 0) throw new Error(`secrets leaked during this test file:\n${leaks.join('\n')}`);
      } finally {
        await app.close(); // a no-op when the scan already closed it
        await emulator.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The TRPCClientError a call failed with (fails the test if it succeeded). */
export async function trpcError(call: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected the call to fail, it returned ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
  if (!(error instanceof TRPCClientError)) throw error;
  return error as TRPCClientError<AppRouter>;
}

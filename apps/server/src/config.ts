import { resolveDatabaseUrl } from '@wxtrpc/db';
import { z } from 'zod';

const unset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unset, schema.optional());

/** Every environment variable the server reads; `.env.example` documents each one. */
const envSchema = z.object({
  NODE_ENV: z.preprocess(unset, z.enum(['development', 'production', 'test']).default('development')),
  PORT: z.preprocess(unset, z.coerce.number().int().min(0).max(65_535).default(3000)),
  HOST: z.preprocess(unset, z.string().default('127.0.0.1')),
  DATABASE_URL: optional(z.string()),
  DATABASE_POOL_SIZE: z.preprocess(unset, z.coerce.number().int().min(1).max(500).default(10)),
  DATABASE_STATEMENT_TIMEOUT_MS: z.preprocess(unset, z.coerce.number().int().min(0).max(600_000).default(5_000)),
  DATABASE_SSL: optional(z.enum(['disable', 'require', 'verify-full'])),
  LOG_LEVEL: z.preprocess(unset, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  WECHAT_APPID: optional(z.string().regex(/^wx[0-9a-zA-Z]{16}$/, 'must be your mini-program AppID: "wx" and 16 letters or digits')),
  WECHAT_SECRET: optional(z.string().regex(/^[0-9a-zA-Z]{32}$/, 'must be your mini-program AppSecret: 32 letters or digits')),
  WECHAT_API_BASE_URL: z.preprocess(unset, z.url({ protocol: /^https?$/ }).default('https://api.weixin.qq.com')),
  WECHAT_ALLOW_INSECURE_HTTP: z.preprocess(
    unset,
    z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
  ),
  WECHAT_EMULATOR_PORT: z.preprocess(unset, z.coerce.number().int().min(0).max(65_535).default(3001)),
  WECHAT_TIMEOUT_MS: z.preprocess(unset, z.coerce.number().int().min(100).max(60_000).default(5_000)),
  WECHAT_WATERMARK_MAX_AGE_SECONDS: z.preprocess(unset, z.coerce.number().int().min(10).max(86_400).default(600)),
  SESSION_TTL_DAYS: z.preprocess(unset, z.coerce.number().min(0.01).max(365).default(30)),
  SESSION_MAX_PER_USER: z.preprocess(unset, z.coerce.number().int().min(1).max(10_000).default(20)),
  SESSION_CLEANUP_INTERVAL_SECONDS: z.preprocess(unset, z.coerce.number().min(0.01).max(86_400).default(3_600)),
  REQUEST_TIMEOUT_MS: z.preprocess(unset, z.coerce.number().int().min(100).max(600_000).default(10_000)),
  HEADERS_TIMEOUT_MS: z.preprocess(unset, z.coerce.number().int().min(100).max(600_000).default(10_000)),
  KEEP_ALIVE_TIMEOUT_MS: z.preprocess(unset, z.coerce.number().int().min(100).max(600_000).default(72_000)),
  MAX_CONNECTIONS: z.preprocess(unset, z.coerce.number().int().min(1).max(1_000_000).default(10_000)),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.preprocess(unset, z.coerce.number().int().min(0).default(60)),
  RATE_LIMIT_PER_MINUTE: z.preprocess(unset, z.coerce.number().int().min(0).default(1_200)),
  TRUST_PROXY: z.preprocess(
    unset,
    z
      .string()
      .default('false')
      .transform((value, ctx): boolean | string[] | ((address: string, hop: number) => boolean) => {
        if (value === 'true' || value === 'false') return value === 'true';
        if (/^\d+$/.test(value)) {
          const hops = Number(value);
          return (_address, hop) => hop < hops; // trust the nearest `hops` proxies
        }
        const list = value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean);
        if (list.every((entry) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry))) return list;
        ctx.addIssue({ code: 'custom', message: 'must be true, false, a number of proxy hops, or a comma-separated list of proxy IPs/CIDRs' });
        return z.NEVER;
      }),
  ),
  METRICS_PORT: optional(z.coerce.number().int().min(0).max(65_535)),
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters (a random secret the scraper sends as a bearer token)')),
  PUBLIC_BASE_URL: optional(z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''))),
  CORS_ORIGINS: z.preprocess(
    unset,
    z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  ),
});

export type Env = z.infer<typeof envSchema>;

/** 127.0.0.0/8, ::1 or localhost (the URL parser has already normalised the host). */
const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);

export interface Config extends Env {
  /** No WeChat credentials: run the bundled WeChat emulator in-process. */
  wechatEmulator: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and checks the configuration; a bad value fails with a message saying what to set. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // One line per bad variable, naming it (values are never echoed: some are secrets).
    const byVariable = new Map<string, string>();
    for (const issue of parsed.error.issues) byVariable.set(String(issue.path[0]), byVariable.get(String(issue.path[0])) ?? issue.message);
    throw new ConfigError([...byVariable].map(([name, message]) => `Invalid ${name}: ${message} (see .env.example)`).join('\n'));
  }
  const config = parsed.data;
  const hasAppid = config.WECHAT_APPID !== undefined;
  const hasSecret = config.WECHAT_SECRET !== undefined;
  if (hasAppid !== hasSecret) {
    throw new ConfigError(`Invalid configuration: set both WECHAT_APPID and WECHAT_SECRET (only ${hasAppid ? 'WECHAT_APPID' : 'WECHAT_SECRET'} is set)`);
  }
  if (!hasAppid && config.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration: NODE_ENV=production needs real WeChat credentials; set WECHAT_APPID and WECHAT_SECRET (the WeChat emulator is for development only)',
    );
  }
  if (config.NODE_ENV === 'production' && config.PUBLIC_BASE_URL === undefined) {
    throw new ConfigError('Invalid configuration: NODE_ENV=production needs PUBLIC_BASE_URL, the https:// address clients reach this server at (avatar URLs are built from it)');
  }
  const wechatUrl = new URL(config.WECHAT_API_BASE_URL);
  if (config.NODE_ENV === 'production' && wechatUrl.protocol !== 'https:' && !isLoopback(wechatUrl.hostname) && !config.WECHAT_ALLOW_INSECURE_HTTP) {
    throw new ConfigError(
      `Invalid configuration: NODE_ENV=production needs an https:// WECHAT_API_BASE_URL (got http://${wechatUrl.host}); use https, or set WECHAT_ALLOW_INSECURE_HTTP=true if it is your internal egress proxy`,
    );
  }
  if (config.HEADERS_TIMEOUT_MS > config.REQUEST_TIMEOUT_MS) {
    throw new ConfigError('Invalid configuration: HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS (the headers are part of the request)');
  }
  try {
    resolveDatabaseUrl(config.DATABASE_URL);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${(error as Error).message}`);
  }
  return { ...config, wechatEmulator: !hasAppid };
}

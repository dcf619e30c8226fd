/**
 * The product as deployed, for every scenario that starts it: NODE_ENV=production, the default LOG_LEVEL
 * (info, one line per request), metrics collected and served (on a listener of their own), rate limiting
 * on, its limits raised only so the one load generator's address is never refused (every request still
 * pays for the check).
 */
export const deployedProductEnv = {
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://api.example.com',
  METRICS_PORT: '0',
  RATE_LIMIT_PER_MINUTE: '100000000',
  RATE_LIMIT_LOGIN_PER_MINUTE: '100000000',
} as const;

/** The Node flags `npm start` runs the server with (apps/server/package.json; productEnv.test.ts keeps them in step). */
export const deployedNodeArgs = ['--enable-source-maps'] as const;

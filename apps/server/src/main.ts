// `npm start`: reads the configuration, builds the app, listens, and shuts down gracefully on SIGTERM/SIGINT.
import path from 'node:path';
import { repoRoot } from '@wxtrpc/db';
import { buildApp } from './app.ts';
import { applyEnvFile } from './applyEnvFile.ts';
import { ConfigError, loadConfig } from './config.ts';
import { keepWasmOnBaselineCompiler } from './keepWasmOnBaselineCompiler.ts';
import { limitHeapGrowth } from './limitHeapGrowth.ts';
import { describeStartupFailure } from './startupFailure.ts';

limitHeapGrowth();
keepWasmOnBaselineCompiler(); // before Prisma's WebAssembly loads
applyEnvFile(path.join(repoRoot, '.env')); // optional; a non-empty environment value wins

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message); // one line per bad variable
  process.exit(1);
}

// A failure to start is one line naming what to change; the stack only at LOG_LEVEL=debug (or trace).
let app: Awaited<ReturnType<typeof buildApp>> | undefined;
try {
  app = await buildApp({ config });
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (error) {
  console.error(describeStartupFailure(error, config));
  if (config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace') console.error(error);
  await app?.close().catch(() => {});
  process.exit(1);
}

const shutdownTimeoutMs = 10_000;
let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

import type { FastifyServerOptions } from 'fastify';
import pino from 'pino';
import type { Config } from './config.ts';
import { serializeRequest } from './serializeRequest.ts';

/**
 * pino's options: JSON lines, or human-readable lines (pino-pretty, in-process) when stdout is a terminal
 * outside production. Credentials in headers are redacted wherever a request is logged.
 *
 * JSON lines go to stdout in batches (stdoutInBatches). pino's default writes each line with its own
 * write(2), which under load cost ~10 % of the server's CPU (a third of the request log line's cost).
 */
export async function loggerOptions(config: Config, stream?: { write(line: string): void }): Promise<FastifyServerOptions['logger']> {
  const readable = !stream && process.stdout.isTTY && config.NODE_ENV !== 'production';
  const pretty = readable ? (await import('pino-pretty')).default : null; // loaded only where used
  return {
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: { req: serializeRequest }, // a logged URL never shows its `input`
    stream: stream ?? (pretty ? pretty({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }) : stdoutInBatches()),
  };
}

/**
 * stdout, written synchronously once 4 KiB of lines are pending, and every 100 ms whatever is pending (so an
 * idle server's lines show within 100 ms), and at exit (process.exit, a fatal error, the end of a graceful
 * shutdown). Only a SIGKILL can lose the last 100 ms. Measured under auth.check load against the
 * alternatives: ~3 % less CPU per request than writing each line asynchronously (sync: false, one
 * thread-pool write and its wake-ups per few lines), ~6 % less than asynchronous 4 KiB batches.
 */
function stdoutInBatches() {
  const destination = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: 100 });
  // pino flushes its destinations at exit only when they are asynchronous.
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // stdout is gone (EPIPE): nothing left to write to.
    }
  });
  return destination;
}

import type { FastifyServerOptions } from 'fastify';
import pino from 'pino';
import type { Config } from './config.ts';
import { serializeRequest } from './serializeRequest.ts';

/**
 * pino's options: JSON lines, or human-readable lines (pino-pretty, in-process) when stdout is a terminal
 * outside production. Credentials in headers are redacted wherever a request is logged.
 *
 * JSON lines go to stdout asynchronously (pino.destination with sync: false): pino's default writes each
 * line with its own blocking write(2), which under load cost ~10 % of the server's CPU (a third of the
 * request log line's cost); asynchronously, the lines written while a write is under way go out together
 * in the next one. Nothing waits when idle, and pino flushes what is pending synchronously when the
 * process exits (process.exit, a fatal error), so only a SIGKILL can lose the last milliseconds.
 */
export async function loggerOptions(config: Config, stream?: { write(line: string): void }): Promise<FastifyServerOptions['logger']> {
  const readable = !stream && process.stdout.isTTY && config.NODE_ENV !== 'production';
  const pretty = readable ? (await import('pino-pretty')).default : null; // loaded only where used
  return {
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: { req: serializeRequest }, // a logged URL never shows its `input`
    stream: stream ?? (pretty ? pretty({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }) : pino.destination({ dest: 1, sync: false })),
  };
}

import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { serializeRequest } from './serializeRequest.ts';

/**
 * pino's options: JSON lines, or human-readable lines (pino-pretty, in-process) when stdout is a terminal
 * outside production. Credentials in headers are redacted wherever a request is logged.
 */
export async function loggerOptions(config: Config, stream?: { write(line: string): void }): Promise<FastifyServerOptions['logger']> {
  const readable = !stream && process.stdout.isTTY && config.NODE_ENV !== 'production';
  const pretty = readable ? (await import('pino-pretty')).default : null; // loaded only where used
  return {
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: { req: serializeRequest }, // a logged URL never shows its `input`
    ...(stream ? { stream } : pretty ? { stream: pretty({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }) } : {}),
  };
}

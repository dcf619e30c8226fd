import type { Config } from './config.ts';

/** A start-up failure already described in one line (a failed migration, an unreachable database). */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

interface SystemError {
  code?: string;
  port?: number;
  address?: string;
  message?: string;
}

const portVariables = (config: Config): [string, number | undefined][] => [
  ['PORT', config.PORT],
  ['WECHAT_EMULATOR_PORT', config.wechatEmulator ? config.WECHAT_EMULATOR_PORT : undefined],
  ['METRICS_PORT', config.METRICS_PORT],
];

/** What went wrong at start-up, in one line that names what to change. */
export function describeStartupFailure(error: unknown, config: Config): string {
  if (error instanceof StartupError) return error.message;
  const system = (error ?? {}) as SystemError;
  if (system.code === 'EADDRINUSE' || system.code === 'EACCES' || system.code === 'EADDRNOTAVAIL') {
    const variable = portVariables(config).find(([, port]) => port === system.port)?.[0] ?? 'PORT';
    const where = `${system.address ?? config.HOST}:${system.port ?? '?'}`;
    if (system.code === 'EADDRINUSE') return `Cannot listen on ${where}: the port is already in use; stop the other process or set ${variable} to a free port`;
    if (system.code === 'EACCES') return `Cannot listen on ${where}: permission denied (ports below 1024 need privileges); set ${variable} to a port above 1023`;
    return `Cannot listen on ${where}: no such address on this machine; set HOST to one of its addresses (or 0.0.0.0)`;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `Start-up failed: ${message} (LOG_LEVEL=debug shows the details)`;
}

import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Sets each variable of an optional `.env` file where `env` has none or an empty one (as loadConfig, it
 * counts as unset); a non-empty environment value wins. process.loadEnvFile would keep the empty value.
 */
export function applyEnvFile(file: string, env: Record<string, string | undefined> = process.env): void {
  if (!existsSync(file)) return;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (value !== undefined && (env[key] ?? '').trim() === '') env[key] = value;
  }
}

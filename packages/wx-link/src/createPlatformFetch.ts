import type { MiniProgramPlatform, PlatformResponse } from './MiniProgramPlatform.ts';
import { createTaskRunner, type SignalLike, type TaskRunner } from './createTaskRunner.ts';

/** The part of fetch's RequestInit that tRPC sends (headers as a plain object or pairs). */
export interface PlatformFetchInit {
  method?: string;
  headers?: unknown;
  body?: unknown;
  signal?: unknown;
}

/** What tRPC reads from a response: `json()`, plus the usual fields for error handling. */
export interface PlatformFetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

function toFetchResponse({ status, headers, body }: PlatformResponse): PlatformFetchResponse {
  const lower: Record<string, string> = {};
  for (const key of Object.keys(headers)) lower[key.toLowerCase()] = String(headers[key]);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    headers: { get: (name) => lower[name.toLowerCase()] ?? null },
    text: () => Promise.resolve(body),
    json: () => {
      try {
        return Promise.resolve(JSON.parse(body));
      } catch {
        return Promise.reject(new Error(`HTTP ${status}: the server's response is not JSON`));
      }
    },
  };
}

/**
 * A fetch for tRPC's links over the platform's request API: one task per call through the runner (slots,
 * timeout, abort), any HTTP status resolves, a platform failure rejects with a PlatformRequestError. The body
 * is parsed here, so a response that is not JSON is an error rather than a silent string.
 */
export function createPlatformFetch(platform: MiniProgramPlatform, run: TaskRunner = createTaskRunner(platform)) {
  return function platformFetch(url: unknown, init: PlatformFetchInit = {}): Promise<PlatformFetchResponse> {
    const headers: Record<string, string> = Array.isArray(init.headers)
      ? Object.fromEntries(init.headers as [string, string][])
      : { ...(init.headers as Record<string, string> | undefined) };
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    return run<PlatformResponse>(
      (callbacks) => platform.request({ url: String(url), method: (init.method ?? 'GET').toUpperCase(), headers, ...(body === undefined ? {} : { body }), ...callbacks }),
      init.signal as SignalLike | undefined,
    ).then(toFetchResponse);
  };
}

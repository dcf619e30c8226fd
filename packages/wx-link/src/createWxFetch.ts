import type { WxLike, WxRequestOptions } from './wxTypes.ts';

export interface WxFetchOptions {
  request: WxLike['request'];
  /** wx allows 10 request tasks at once; more are queued here. */
  maxConcurrent?: number;
  /** Per request, handed to wx.request (its default is 60 s). */
  timeoutMs?: number;
}

/** The part of fetch's RequestInit that tRPC sends (headers as a plain object or pairs). */
export interface WxFetchInit {
  method?: string;
  headers?: unknown;
  body?: unknown;
  signal?: unknown;
}

interface SignalLike {
  aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** What tRPC reads from a response: `json()`, plus the usual fields for error handling. */
export interface WxResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** A failed wx.request: `errMsg` is the runtime's own text (e.g. "request:fail timeout"). */
export class WxRequestError extends Error {
  override readonly name = 'WxRequestError';
  constructor(readonly errMsg: string) {
    super(errMsg);
  }
}

const abortError = () => {
  const error = new Error('The request was aborted');
  error.name = 'AbortError';
  return error;
};

function toResponse(statusCode: number, header: Record<string, string>, data: unknown): WxResponse {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const headers: Record<string, string> = {};
  for (const key of Object.keys(header ?? {})) headers[key.toLowerCase()] = String(header[key]);
  return {
    ok: statusCode >= 200 && statusCode < 300,
    status: statusCode,
    statusText: '',
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: () => Promise.resolve(text),
    json: () => {
      try {
        return Promise.resolve(JSON.parse(text));
      } catch {
        return Promise.reject(new Error(`HTTP ${statusCode}: the server's response is not JSON`));
      }
    },
  };
}

/**
 * A fetch for tRPC's links over wx.request: one RequestTask per call, any HTTP status resolves (as wx
 * calls `success` for 4xx/5xx), `fail` rejects with its errMsg, abort calls `task.abort()`, and at most
 * `maxConcurrent` tasks run at once (the rest wait in order). The body is read as text and parsed here,
 * so a response that is not JSON is an error rather than a silent string.
 */
export function createWxFetch(options: WxFetchOptions) {
  const maxConcurrent = options.maxConcurrent ?? 10;
  const waiting: (() => void)[] = [];
  let running = 0;

  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) next();
  };

  return function wxFetch(url: unknown, init: WxFetchInit = {}): Promise<WxResponse> {
    return new Promise<WxResponse>((resolve, reject) => {
      const signal = (init.signal ?? null) as SignalLike | null;
      if (signal?.aborted) return reject(abortError());
      let task: { abort(): void } | null = null;
      let settled = false;
      const onAbort = () => {
        if (task) return task.abort(); // wx then calls fail("request:fail abort")
        const index = waiting.indexOf(start);
        if (index >= 0) waiting.splice(index, 1);
        finish(() => reject(abortError()), false);
      };
      const finish = (settle: () => void, started: boolean) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (started) release();
        settle();
      };
      const headers: Record<string, string> = Array.isArray(init.headers)
        ? Object.fromEntries(init.headers as [string, string][])
        : { ...(init.headers as Record<string, string> | undefined) };
      const start = () => {
        running++;
        const request: WxRequestOptions = {
          url: String(url),
          method: (init.method ?? 'GET').toUpperCase() as WxRequestOptions['method'],
          header: headers,
          dataType: 'text',
          responseType: 'text',
          success: ({ statusCode, header, data }) => finish(() => resolve(toResponse(statusCode, header, data)), true),
          fail: ({ errMsg }) =>
            finish(() => reject(/abort/i.test(errMsg) && signal?.aborted ? abortError() : new WxRequestError(errMsg)), true),
        };
        if (init.body !== undefined && init.body !== null) request.data = String(init.body);
        if (options.timeoutMs !== undefined) request.timeout = options.timeoutMs;
        task = options.request(request);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (running < maxConcurrent) start();
      else waiting.push(start);
    });
  };
}

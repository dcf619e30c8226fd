// What every fake platform shares: real HTTP to the test server (node:http for requests, fetch + FormData
// for uploads, as multipart as the runtimes send it), the runtime's limit on tasks at once (one over it is
// refused, as the runtimes refuse it), in-memory storage, login codes minted at the WeChat emulator, and
// counters. Each fake (createFakeWx, createFakeMy, …) speaks its platform's API over this.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

export interface FakeStats {
  requests: number;
  uploads: number;
  inFlight: number;
  maxInFlight: number;
  logins: number;
  refused: number;
}

/** The state a test reads and changes on any fake platform. */
export interface FakeDevice {
  stats: FakeStats;
  storage: Map<string, unknown>;
  /** Which emulated WeChat user the platform's login plays. */
  user: string;
  /** While false, every request and upload fails as it does without network. */
  online: boolean;
}

export interface FakeDeviceOptions {
  emulatorUrl: string;
  user?: string;
  /** Tasks the runtime runs at once (wx: 10). */
  maxTasks?: number;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Why a task failed; each fake words it in its platform's error shape. */
export interface HttpFailure {
  reason: 'offline' | 'refused' | 'timeout' | 'abort' | 'network';
  /** wx's wording after "request:fail ": "timeout", "abort", "exceed max task count", the socket error… */
  detail: string;
}

export interface TaskCallbacks {
  done(result: HttpResult): void;
  failed(failure: HttpFailure): void;
}

export interface FakeTask {
  abort(): void;
}

/** The body as a runtime hands it over: parsed for dataType json (kept as text when it is not JSON). */
export function dataFor(text: string, dataType: string | undefined): unknown {
  if (dataType !== undefined && dataType !== 'json') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createFakeDevice(options: FakeDeviceOptions) {
  const maxTasks = options.maxTasks ?? 10;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const device: FakeDevice = {
    stats: { requests: 0, uploads: 0, inFlight: 0, maxInFlight: 0, logins: 0, refused: 0 },
    storage: new Map(),
    user: options.user ?? 'alice',
    online: true,
  };
  const { stats } = device;

  const fail = (callbacks: TaskCallbacks, failure: HttpFailure): FakeTask => {
    setTimeout(() => callbacks.failed(failure));
    return { abort() {} };
  };

  /** One task: refused over the limit or offline; else counted in flight until done, failed, timed out or aborted. */
  function run(timeoutMs: number | undefined, callbacks: TaskCallbacks, perform: (signal: AbortSignal) => Promise<HttpResult>): FakeTask {
    if (!device.online) return fail(callbacks, { reason: 'offline', detail: 'net::ERR_INTERNET_DISCONNECTED' });
    if (stats.inFlight >= maxTasks) {
      stats.refused++;
      return fail(callbacks, { reason: 'refused', detail: 'exceed max task count' });
    }
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const controller = new AbortController();
    let ended = false;
    const end = (report: () => void) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      stats.inFlight--;
      report();
    };
    const timer = setTimeout(() => {
      controller.abort();
      end(() => callbacks.failed({ reason: 'timeout', detail: 'timeout' }));
    }, timeoutMs ?? 60_000);
    perform(controller.signal).then(
      (result) =>
        end(() => callbacks.done(result)),
      (error: Error) => end(() => callbacks.failed({ reason: 'network', detail: error.message })),
    );
    return {
      abort() {
        controller.abort();
        end(() => callbacks.failed({ reason: 'abort', detail: 'abort' }));
      },
    };
  }

  const send = (request: { url: string; method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number }, callbacks: TaskCallbacks) => {
    stats.requests++;
    return run(request.timeoutMs, callbacks, (signal) =>
      new Promise<HttpResult>((resolve, reject) => {
        const req = http.request(request.url, { method: request.method ?? 'GET', headers: request.headers, agent, signal }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, String(value)])), text }),
          );
        });
        req.on('error', reject);
        if (request.body !== undefined) req.write(request.body);
        req.end();
      }),
    );
  };

  const upload = (
    request: { url: string; filePath: string; field: string; formData?: Record<string, unknown>; headers?: Record<string, string>; timeoutMs?: number },
    callbacks: TaskCallbacks,
  ) => {
    stats.uploads++;
    return run(request.timeoutMs, callbacks, async (signal) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(request.formData ?? {})) form.append(name, String(value));
      form.append(request.field, new Blob([await readFile(request.filePath)]), path.basename(request.filePath));
      const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: form, signal });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => void (headers[name] = value));
      return { status: response.status, headers, text: await response.text() };
    });
  };

  /** The platform's login: a fresh one-time code for `device.user` from the WeChat emulator. */
  const mintCode = async (): Promise<string> => {
    stats.logins++;
    const response = await fetch(`${options.emulatorUrl}/emulator/wx-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: device.user }),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return ((await response.json()) as { code: string }).code;
  };

  return { device, send, upload, mintCode };
}

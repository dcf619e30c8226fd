// What every fake platform shares: real HTTP to the test server over node:http (uploads as the multipart
// body the runtimes send, written here byte by byte, so no global FormData/Blob/fetch is needed and a
// jsdom test environment, which replaces FormData and Blob with its own, changes nothing), the runtime's limit on tasks at once (one over it is
// refused, as the runtimes refuse it), in-memory storage, login codes minted at the WeChat emulator, and
// counters. Each fake (createFakeWx, createFakeMy, …) speaks its platform's API over this.
import { randomBytes } from 'node:crypto';
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
      (result) => end(() => callbacks.done(result)),
      (error: Error) => end(() => callbacks.failed({ reason: 'network', detail: error.message })),
    );
    return {
      abort() {
        controller.abort();
        end(() => callbacks.failed({ reason: 'abort', detail: 'abort' }));
      },
    };
  }

  /** One HTTP exchange over node:http; any status resolves, the body read as UTF-8 text. */
  const exchange = (url: string, init: { method: string; headers?: Record<string, string>; body?: string | Buffer }, signal: AbortSignal) =>
    new Promise<HttpResult>((resolve, reject) => {
      const req = http.request(url, { method: init.method, headers: init.headers, agent, signal }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: Object.fromEntries(Object.entries(res.headers).map(([name, value]) => [name, String(value)])), text }));
      });
      req.on('error', reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });

  const send = (request: { url: string; method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number }, callbacks: TaskCallbacks) => {
    stats.requests++;
    return run(request.timeoutMs, callbacks, (signal) => exchange(request.url, { method: request.method ?? 'GET', headers: request.headers, body: request.body }, signal));
  };

  /** A form-data header value: quotes and line breaks percent-encoded, as browsers do. */
  const quoted = (value: string) => `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;

  const upload = (
    request: { url: string; filePath: string; field: string; formData?: Record<string, unknown>; headers?: Record<string, string>; timeoutMs?: number },
    callbacks: TaskCallbacks,
  ) => {
    stats.uploads++;
    return run(request.timeoutMs, callbacks, async (signal) => {
      // multipart/form-data (RFC 7578): the formData fields, then the file under `field`.
      const boundary = `----FakeUploadBoundary${randomBytes(12).toString('hex')}`;
      const parts: Buffer[] = [];
      for (const [name, value] of Object.entries(request.formData ?? {})) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${String(value)}\r\n`));
      }
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(request.field)}; filename=${quoted(path.basename(request.filePath))}\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        ),
        await readFile(request.filePath),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      );
      const body = Buffer.concat(parts);
      const headers = { ...request.headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) };
      return exchange(request.url, { method: 'POST', headers, body }, signal);
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

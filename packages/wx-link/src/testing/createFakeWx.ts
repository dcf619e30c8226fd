// A stand-in for the mini-program's `wx` in Node tests: `request` does real HTTP (node:http), `login`
// mints a real code at the WeChat emulator, storage is in memory. It enforces wx's limit of 10 request
// tasks at once (an 11th fails, as the runtime refuses it) and counts what it did.
import http from 'node:http';
import type { WxLike, WxRequestOptions, WxRequestTask } from '../wxTypes.ts';

/** A UI call the page made (showToast, navigateTo, stopPullDownRefresh), recorded for assertions. */
export interface UiCall {
  api: string;
  options: unknown;
}

export interface FakeWx extends WxLike {
  stats: { requests: number; inFlight: number; maxInFlight: number; logins: number; refused: number };
  ui: UiCall[];
  showToast(options: unknown): void;
  navigateTo(options: unknown): void;
  stopPullDownRefresh(): void;
  storage: Map<string, unknown>;
  /** Which emulated WeChat user wx.login plays. */
  user: string;
  /** While false, every wx.request fails as it does without network. */
  online: boolean;
}

export function createFakeWx(options: {
  emulatorUrl: string;
  user?: string;
  maxTasks?: number;
}): FakeWx {
  const maxTasks = options.maxTasks ?? 10;
  const storage = new Map<string, unknown>();
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0, logins: 0, refused: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const ui: UiCall[] = [];
  const fake: FakeWx = {
    stats,
    storage,
    ui,
    showToast: (options) => void ui.push({ api: 'showToast', options }),
    navigateTo: (options) => void ui.push({ api: 'navigateTo', options }),
    stopPullDownRefresh: () => void ui.push({ api: 'stopPullDownRefresh', options: undefined }),
    user: options.user ?? 'alice',
    online: true,

    request(request: WxRequestOptions): WxRequestTask {
      let done = false;
      const fail = (errMsg: string) => {
        if (done) return;
        done = true;
        stats.inFlight--;
        request.fail?.({ errMsg });
      };
      if (!fake.online) {
        setTimeout(() => request.fail?.({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }));
        return { abort() {} };
      }
      if (stats.inFlight >= maxTasks) {
        stats.refused++;
        setTimeout(() => request.fail?.({ errMsg: 'request:fail exceed max task count' }));
        return { abort() {} };
      }
      stats.requests++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      const req = http.request(request.url, { method: request.method ?? 'GET', headers: request.header, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          stats.inFlight--;
          const header = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
          const text = Buffer.concat(chunks).toString('utf8');
          let data: unknown = text;
          if (request.dataType !== 'text') {
            try {
              data = JSON.parse(text);
            } catch {
              // wx keeps the string when dataType is json and parsing fails
            }
          }
          request.success?.({ data, statusCode: res.statusCode ?? 0, header, errMsg: 'request:ok' });
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        fail('request:fail timeout');
      }, request.timeout ?? 60_000);
      req.on('error', (error) => {
        clearTimeout(timer);
        fail(`request:fail ${error.message}`);
      });
      if (request.data !== undefined) req.write(request.data);
      req.end();
      return {
        abort() {
          clearTimeout(timer);
          req.destroy();
          fail('request:fail abort');
        },
      };
    },

    login({ success, fail }) {
      stats.logins++;
      fetch(`${options.emulatorUrl}/emulator/wx-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: fake.user }),
      })
        .then(async (response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const { code } = (await response.json()) as { code: string };
          success?.({ code, errMsg: 'login:ok' });
        })
        .catch((error: Error) => fail?.({ errMsg: `login:fail ${error.message}` }));
    },

    getStorageSync: (key) => (storage.has(key) ? structuredClone(storage.get(key)) : ''),
    setStorageSync: (key, value) => void storage.set(key, structuredClone(value)),
    removeStorageSync: (key) => void storage.delete(key),
  };
  return fake;
}

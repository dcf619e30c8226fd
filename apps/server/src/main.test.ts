// `npm start` as a newcomer runs it: a separate process, emulator mode, the embedded database.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serverDir = path.resolve(import.meta.dirname, '..');
let dir: string;
// Test-only: the bodies here are checked field by field.
const json = async (response: Response): Promise<any> => response.json();

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(url: string, running: Running) {
  for (let i = 0; i < 200; i++) {
    if (running.child.exitCode !== null) throw new Error(`server exited:\n${running.output()}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become ready:\n${running.output()}`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-main-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm start (src/main.ts)', () => {
  it('creates and migrates its database, serves health checks, logs in through the emulator, keeps data across restarts and exits 0 on SIGTERM', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), WECHAT_EMULATOR_PORT: String(emulatorPort), DATABASE_URL: `file:${dir}/app.db` };

    const first = start(env);
    await waitForReady(url, first);
    expect(first.output()).toMatch(/WeChat EMULATOR mode/);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const { code } = await json(
      await fetch(`http://127.0.0.1:${emulatorPort}/emulator/wx-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    );
    const login = await fetch(`${url}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const { token } = (await json(login)).result.data;
    const orders = await json(await fetch(`${url}/trpc/order.list`, { headers: { authorization: `Bearer ${token}` } }));
    expect(orders.result.data.items).toHaveLength(10); // the seeded demo user
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = start(env);
    await waitForReady(url, second);
    expect(second.output()).not.toMatch(/seeded demo user/);
    const check = await json(await fetch(`${url}/trpc/auth.check`, { headers: { authorization: `Bearer ${token}` } }));
    expect(check.result.data.valid).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).not.toContain(token.split('.')[1]);
  });

  it('refuses to start in production without WeChat credentials, saying what to set', async () => {
    const running = start({ NODE_ENV: 'production', PORT: String(await freePort()), DATABASE_URL: `file:${dir}/prod.db` });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/set WECHAT_APPID and WECHAT_SECRET/);
    expect(running.output()).not.toMatch(/at .*\.ts:\d+/);
  });
});

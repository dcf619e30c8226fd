// Log format of `npm start`: human-readable on a terminal in development, JSON lines otherwise. A real
// terminal comes from util-linux's `script`, which gives the server a pseudo-terminal as stdout.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer } from './testing/spawnServer.ts';
import { testAppid, testSecret } from './testing/startTestServer.ts';

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasScript) console.warn('log format test on a terminal SKIPPED: util-linux `script` is not installed');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-logs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const serverDir = path.resolve(import.meta.dirname, '..');

/** Runs the built server on a pseudo-terminal until it has said it listens, then stops it; returns what it printed. */
async function onTerminal(env: Record<string, string>): Promise<string> {
  const child = spawn('script', ['-qec', `${process.execPath} dist/main.mjs`, '/dev/null'], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(await freePort()),
      WECHAT_EMULATOR_PORT: String(await freePort()),
      DATABASE_URL: `file:${dir}/${Math.random()}.db`,
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const started = Date.now();
  while (!/listening/i.test(output) && Date.now() - started < 15_000) await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return output;
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it('development logs are human-readable lines', async () => {
    const output = await onTerminal({});
    expect(output).toMatch(/\[\d\d:\d\d:\d\d\.\d{3}\] .*INFO.*: .*database migrated/);
    expect(output).not.toMatch(/^\{"level"/m);
  });

  it('production logs stay JSON', async () => {
    const output = await onTerminal({
      NODE_ENV: 'production',
      WECHAT_APPID: testAppid,
      WECHAT_SECRET: testSecret,
      WECHAT_API_BASE_URL: 'http://127.0.0.1:9',
      PUBLIC_BASE_URL: 'https://api.example.com',
    });
    expect(output).toMatch(/^\{"level":30,.*"msg":"database migrated"/m);
  });
});

it('logs are JSON lines when stdout is not a terminal', async () => {
  const server = await spawnServer({ DATABASE_URL: `file:${dir}/plain.db` });
  await server.waitUntilReady();
  server.child.kill('SIGTERM');
  await server.exited;
  const lines = server
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '');
  expect(lines.length).toBeGreaterThan(2);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
});

// `npm start` as a newcomer runs it: a separate process, emulator mode, the embedded database.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from './testing/spawnServer.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-main-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Test-only: bodies here are checked field by field.
const json = async (response: Response): Promise<any> => response.json();
const mint = async (server: SpawnedServer, user = 'demo') =>
  (await json(await fetch(`${server.emulatorUrl}/emulator/wx-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) })))
    .code as string;
const login = async (server: SpawnedServer, user = 'demo') => {
  const response = await fetch(`${server.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: await mint(server, user) }),
  });
  return (await json(response)).result.data.token as string;
};
const check = async (server: SpawnedServer, token: string) =>
  (await json(await fetch(`${server.url}/trpc/auth.check`, { headers: { authorization: `Bearer ${token}` } }))).result.data.valid as boolean;

describe('npm start (src/main.ts)', () => {
  it('creates and migrates its database, serves health checks, logs in through the emulator, keeps data across restarts and exits 0 on SIGTERM', async () => {
    const env = { DATABASE_URL: `file:${dir}/app.db` };
    const first = await spawnServer(env);
    await first.waitUntilReady();
    expect(first.output()).toMatch(/WeChat EMULATOR mode/);
    expect(await json(await fetch(`${first.url}/healthz`))).toEqual({ status: 'ok' });
    const token = await login(first);
    const orders = await json(await fetch(`${first.url}/trpc/order.list`, { headers: { authorization: `Bearer ${token}` } }));
    expect(orders.result.data.items).toHaveLength(10); // the seeded demo user
    const firstIssued = await first.issued();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.leaks(firstIssued, [token])).toEqual([]);

    const second = await spawnServer(env);
    await second.waitUntilReady();
    expect(second.output()).not.toMatch(/seeded demo user/);
    expect(await check(second, token)).toBe(true);
    const secondIssued = await second.issued();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.leaks(secondIssued, [token])).toEqual([]);
  });

  it('prints no login code a client put in a URL (its output is scanned like a test server’s logs)', async () => {
    const server = await spawnServer({ DATABASE_URL: `file:${dir}/url.db` });
    await server.waitUntilReady();
    const code = await mint(server, 'url');
    const response = await fetch(`${server.url}/trpc/auth.login?input=${encodeURIComponent(JSON.stringify({ code }))}`);
    expect(response.status).toBe(405);
    const issued = await server.issued();
    expect(issued.codes).toContain(code);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.leaks(issued)).toEqual([]);
    expect(server.output()).toMatch(/"route":"\/trpc\/:path","procedures":\["auth.login"\],"status":405/); // logged, without its input
    // The scan does read the output: a "code" that is in it is reported.
    expect(server.leaks({ ...issued, codes: ['EMULATOR mode'] })).toEqual([expect.stringMatching(/login code is in a log line/)]);
  });

  it('refuses to start in production without WeChat credentials, saying what to set', async () => {
    const running = await spawnServer({ NODE_ENV: 'production', DATABASE_URL: `file:${dir}/prod.db` });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/set WECHAT_APPID and WECHAT_SECRET/);
    expect(running.output()).not.toMatch(/at .*\.ts:\d+/);
  });

  it('on SIGTERM stops accepting, finishes the requests in flight, closes the database and exits 0', async () => {
    const file = `${dir}/graceful.db`;
    const server = await spawnServer({ DATABASE_URL: `file:${file}` });
    await server.waitUntilReady();
    const code = await mint(server, 'slow');
    await fetch(`${server.emulatorUrl}/emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"kind":"latency","latencyMs":1500,"count":1}',
    });
    const inFlight = fetch(`${server.url}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    const issued = await server.issued();
    await new Promise((r) => setTimeout(r, 300));
    const stopped = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const refused = await fetch(`${server.url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    const token = (await json(answer)).result.data.token as string;
    expect(refused).toBe('refused');
    expect(await server.exited).toBe(0);
    expect(server.leaks(issued, [token])).toEqual([]);
    expect(Date.now() - stopped).toBeLessThan(5_000);
    expect(existsSync(`${file}-wal`)).toBe(false); // the last connection closed cleanly and checkpointed
    // The session written by the request that finished during shutdown is there.
    const sqlite = new Sqlite(file, { readonly: true });
    expect(sqlite.prepare('SELECT count(*) FROM "Session" WHERE id = ?').pluck().get(token.split('.')[0])).toBe(1);
    sqlite.close();
  });

  it('survives kill -9 under login load: every token a client received still works, and the database is intact', async () => {
    const file = `${dir}/crash.db`;
    const server = await spawnServer({ DATABASE_URL: `file:${file}` });
    await server.waitUntilReady();
    const received: string[] = [];
    let killed = false;
    const worker = async (n: number) => {
      for (let i = 0; !killed; i++) {
        try {
          received.push(await login(server, `load-${n}-${i % 50}`));
        } catch {
          return; // the server is gone
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, n) => worker(n)));
    while (received.length < 60) await new Promise((r) => setTimeout(r, 20));
    const issued = await server.issued();
    server.child.kill('SIGKILL');
    killed = true;
    await load;
    await server.exited;
    expect(server.leaks(issued, received)).toEqual([]);

    const restarted = await spawnServer({ DATABASE_URL: `file:${file}` });
    await restarted.waitUntilReady();
    const results = await Promise.all(received.map((token) => check(restarted, token)));
    expect(results.filter((valid) => !valid)).toEqual([]);
    const restartedIssued = await restarted.issued();
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(restarted.leaks(restartedIssued, received)).toEqual([]);
    const sqlite = new Sqlite(file, { readonly: true });
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    sqlite.close();
  });
});

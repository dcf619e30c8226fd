// JSON lines leave `npm start`'s stdout in batches (loggerOptions.ts): these tests show that batching loses
// nothing an operator would look for. A line shows within the periodic flush while the server idles, and
// lines still pending when the process exits are written before it does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnServer } from './testing/spawnServer.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-log-batches-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const healthzLines = (output: string) => output.split('\n').filter((line) => line.includes('"msg":"request"') && line.includes('"route":"/healthz"'));

it("writes an idle server's request line within the periodic flush, long before 4 KiB are pending", async () => {
  const server = await spawnServer({ DATABASE_URL: `file:${dir}/idle.db` });
  try {
    await server.waitUntilReady();
    const before = healthzLines(server.output()).length;
    await fetch(`${server.url}/healthz`);
    const sent = Date.now();
    while (healthzLines(server.output()).length === before && Date.now() - sent < 3_000) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(healthzLines(server.output()).length).toBe(before + 1);
    expect(Date.now() - sent).toBeLessThan(2_000);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

it('writes the lines still pending when the process exits', async () => {
  const server = await spawnServer({ DATABASE_URL: `file:${dir}/exit.db` });
  await server.waitUntilReady();
  // Requests, then at once the signal: their lines (and the shutdown's) are pending when the process exits.
  await Promise.all(Array.from({ length: 5 }, () => fetch(`${server.url}/healthz`)));
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  expect(healthzLines(server.output())).toHaveLength(5);
  expect(server.output()).toContain('"msg":"shutting down: finishing in-flight requests"');
});

// README's "Log in with curl" block, run as written (only the ports changed) against `npm start`'s build:
// what the README tells a newcomer to type is what the server answers.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type SpawnedServer } from './testing/spawnServer.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');

/** The first ```sh block after the given heading. */
function shellBlockAfter(heading: string): string {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block) throw new Error(`README has no sh block after "${heading}"`);
  return block[1]!;
}

let dir: string;
let server: SpawnedServer;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-readme-'));
  server = await spawnServer({ DATABASE_URL: `file:${dir}/app.db` });
  await server.waitUntilReady();
}, 60_000);
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await rm(dir, { recursive: true, force: true });
});

describe('README: Log in with curl (emulator mode)', () => {
  it('every line answers what it promises: a session, orders, a masked phone, the new nickname, a logout', async () => {
    const script = shellBlockAfter('### Log in with curl')
      .replaceAll('localhost:3000', server.url.replace('http://', ''))
      .replaceAll('localhost:3001', server.emulatorUrl.replace('http://', ''));
    expect(script).not.toMatch(/localhost:\d/); // every address was rewritten to this test's server
    // curl prints answers without a newline: a curlrc of this test's own adds one, so each answer is a line.
    await writeFile(path.join(dir, '.curlrc'), 'write-out = "\\n"\n');
    const env = { ...process.env, CURL_HOME: dir };
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { timeout: 30_000, env });
    const answers = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const data = answers.map((answer) => answer.result?.data);
    expect(answers.filter((answer) => answer.error)).toEqual([]);
    expect(data[0]).toMatchObject({ valid: true });
    expect(data[1].items).toHaveLength(5);
    expect(data[2].phone).toMatch(/^138\*{4}\d{4}$/);
    expect(data[3]).toMatchObject({ nickName: '小明' });
    expect(data[4]).toMatchObject({ nickName: '小明', phone: data[2].phone });
    expect(data[5]).toEqual({ loggedOut: true });
    expect(answers).toHaveLength(6);
    const issued = await server.issued();
    expect(server.leaks(issued)).toEqual([]);
  }, 60_000);
});

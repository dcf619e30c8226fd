// Runs the built server (dist/main.mjs, what `npm start` runs) as its own process, for tests of start-up,
// crashes and shutdown. The test script builds it first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { findLeaks, type IssuedSecrets } from './findLeaks.ts';

const serverDir = path.resolve(import.meta.dirname, '../..');

export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  emulatorUrl: string;
  /** stdout and stderr, interleaved. */
  output(): string;
  /** stderr alone. */
  errors(): string;
  exited: Promise<number | null>;
  waitUntilReady(): Promise<void>;
  /** What the emulator the server talks to has issued so far; ask before the server exits (its own emulator exits with it). */
  issued(): Promise<IssuedSecrets>;
  /** findLeaks over everything the server printed: the `issued` secrets and the tokens its clients received. */
  leaks(issued: IssuedSecrets, tokens?: string[]): string[];
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Starts the server in emulator mode on free ports (unless `env` says otherwise). */
export async function spawnServer(env: Record<string, string>): Promise<SpawnedServer> {
  const port = env.PORT ?? String(await freePort());
  const emulatorPort = env.WECHAT_EMULATOR_PORT ?? String(await freePort());
  let output = '';
  let errors = '';
  if (!existsSync(path.join(serverDir, 'dist/main.mjs'))) throw new Error('dist/main.mjs is missing: run `npm run build -w @wxtrpc/server` (npm test does)');
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.mjs'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: port, WECHAT_EMULATOR_PORT: emulatorPort, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => {
    output += chunk;
    errors += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  // With WeChat credentials the server talks to the emulator at WECHAT_API_BASE_URL, else it runs its own.
  const wechatUrl = env.WECHAT_APPID === undefined ? emulatorUrl : env.WECHAT_API_BASE_URL;
  return {
    child,
    url,
    emulatorUrl,
    output: () => output,
    errors: () => errors,
    exited,
    async waitUntilReady() {
      for (let i = 0; i < 300; i++) {
        if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
        if (
          await fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`server did not become ready:\n${output}`);
    },
    async issued() {
      if (wechatUrl === undefined) throw new Error('WECHAT_APPID is set without WECHAT_API_BASE_URL: no emulator to ask');
      return (await (await fetch(`${wechatUrl}/emulator/issued`)).json()) as IssuedSecrets;
    },
    leaks: (issued, tokens = []) =>
      findLeaks({ logs: output.split('\n'), bodies: [], database: Buffer.alloc(0), ...issued, tokens, ...(env.WECHAT_SECRET ? { wechatSecret: env.WECHAT_SECRET } : {}) }),
  };
}

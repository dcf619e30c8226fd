// Start-up failures of `npm start` (the built server as its own process): one line on stderr naming
// what to change, a non-zero exit, and no stack trace unless LOG_LEVEL=debug.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { applyMigrations } from '@wxtrpc/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer } from './testing/spawnServer.ts';

let dir: string;
let occupied: Server;
let occupiedPort: number;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-startup-'));
  occupiedPort = await freePort();
  occupied = createServer().listen(occupiedPort, '127.0.0.1');
});
afterAll(async () => {
  occupied.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the server until it exits; returns its exit code and its stderr lines. */
async function failingStart(env: Record<string, string>) {
  const server = await spawnServer({ DATABASE_URL: `file:${path.join(dir, `${Math.random()}.db`)}`, ...env });
  const code = await server.exited;
  return {
    code,
    lines: server
      .errors()
      .split('\n')
      .filter((line) => line.trim() !== ''),
    output: server.output(),
  };
}

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('start-up failures', () => {
  it('a port in use names PORT', async () => {
    const { code, lines, output } = await failingStart({ PORT: String(occupiedPort) });
    expect(code).not.toBe(0);
    expect(lines).toEqual([`Cannot listen on 127.0.0.1:${occupiedPort}: the port is already in use; stop the other process or set PORT to a free port`]);
    noStack(output);
  });

  it("the emulator's port in use names WECHAT_EMULATOR_PORT", async () => {
    const { code, lines } = await failingStart({ WECHAT_EMULATOR_PORT: String(occupiedPort) });
    expect(code).not.toBe(0);
    expect(lines).toEqual([`Cannot listen on 127.0.0.1:${occupiedPort}: the port is already in use; stop the other process or set WECHAT_EMULATOR_PORT to a free port`]);
  });

  it('an unreachable database names DATABASE_URL, without its password', async () => {
    const port = await freePort();
    const { code, lines, output } = await failingStart({ DATABASE_URL: `postgresql://app:s3cret-pass@127.0.0.1:${port}/app` });
    expect(code).not.toBe(0);
    expect(lines).toEqual([`Cannot reach the database at 127.0.0.1:${port} (connection refused): check DATABASE_URL and that PostgreSQL is running`]);
    expect(output).not.toContain('s3cret-pass');
    noStack(output);
  });

  it('a failed migration says so in one line', async () => {
    const file = path.join(dir, 'broken.db');
    await applyMigrations(file);
    const sqlite = new Sqlite(file);
    // A migration that failed half-way, as Prisma Migrate records it: the engine refuses to go on.
    sqlite
      .prepare('INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)')
      .run('x', 'abc', '20990101000000_broken', Date.now());
    sqlite.close();
    const { code, lines, output } = await failingStart({ DATABASE_URL: `file:${file}` });
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Database migration failed \(20990101000000_broken\): .*; fix the database \(or the migration\) and start again$/);
    noStack(output);
  });

  it('bad variables give one line each, and nothing else', async () => {
    const { code, lines } = await failingStart({ PORT: 'eighty', LOG_LEVEL: 'loud', RATE_LIMIT_PER_MINUTE: '-1' });
    expect(code).toBe(1);
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => line.split(':')[0]).sort()).toEqual(['Invalid LOG_LEVEL', 'Invalid PORT', 'Invalid RATE_LIMIT_PER_MINUTE']);
  });

  it('shows the stack trace at LOG_LEVEL=debug', async () => {
    const { lines, output } = await failingStart({ PORT: String(occupiedPort), LOG_LEVEL: 'debug' });
    expect(lines[0]).toMatch(/set PORT to a free port$/);
    expect(output).toMatch(/EADDRINUSE/);
    expect(lines.length).toBeGreaterThan(1);
  });
});

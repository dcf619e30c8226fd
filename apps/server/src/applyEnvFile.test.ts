import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnvFile } from './applyEnvFile.ts';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-env-'));
  file = path.join(dir, '.env');
  await writeFile(file, '# a comment\nPORT=4000\nHOST=0.0.0.0\nLOG_LEVEL=debug\nCORS_ORIGINS="https://a.example"\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('applyEnvFile', () => {
  it('fills what the environment leaves missing or empty; a non-empty environment value wins', () => {
    const env: Record<string, string | undefined> = { PORT: '', HOST: '127.0.0.1', LOG_LEVEL: '  ' };
    applyEnvFile(file, env);
    expect(env).toEqual({ PORT: '4000', HOST: '127.0.0.1', LOG_LEVEL: 'debug', CORS_ORIGINS: 'https://a.example' });
  });

  it('does nothing when the file does not exist', () => {
    const env = { PORT: '' };
    applyEnvFile(path.join(dir, 'missing.env'), env);
    expect(env).toEqual({ PORT: '' });
  });
});

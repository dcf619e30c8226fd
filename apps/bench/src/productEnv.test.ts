import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@wxtrpc/db';
import { describe, expect, it } from 'vitest';
import { deployedNodeArgs } from './productEnv.ts';

describe('the product as the bench starts it', () => {
  it('runs with the Node flags `npm start` uses', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(repoRoot, 'apps/server/package.json'), 'utf8')) as { scripts: { start: string } };
    const run = /(?:^|&& )node ((?:--\S+ )*)dist\/main\.mjs$/.exec(scripts.start);
    expect(run, scripts.start).not.toBeNull();
    expect(run![1]!.trim().split(' ').filter(Boolean)).toEqual([...deployedNodeArgs]);
  });
});

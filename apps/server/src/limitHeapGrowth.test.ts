import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Each run in its own process: the flag is process-wide. Objects that live long enough to be promoted and then
// die, as request garbage does under load, over ~65 MB that stays live; prints the most the old generation held.
const churn = (limit: boolean) => `
  import v8 from 'node:v8';
  ${limit ? `const { limitHeapGrowth } = await import(${JSON.stringify(new URL('./limitHeapGrowth.ts', import.meta.url).href)}); limitHeapGrowth();` : ''}
  const live = Array.from({ length: 200_000 }, (_, i) => ({ i, s: 'live ' + i }));
  const fifo = new Array(300_000);
  let maxOld = 0;
  for (let i = 0; i < 3_000_000; i++) {
    fifo[i % fifo.length] = { i, s: 'garbage ' + i, a: [i, i + 1] };
    if (i % 10_000 === 0) maxOld = Math.max(maxOld, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size);
  }
  console.log(maxOld, live.length);
`;
const maxOldSpace = (limit: boolean) => Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', churn(limit)], { encoding: 'utf8' }).split(' ')[0]);

describe('limitHeapGrowth', () => {
  it('keeps the old generation near what is live instead of letting promoted garbage pile up', () => {
    const byDefault = maxOldSpace(false);
    const limited = maxOldSpace(true);
    // Measured: ~290 MB by default, ~95 MB limited.
    expect(limited).toBeLessThan(byDefault * 0.6);
    expect(limited).toBeLessThan(150 * 1024 * 1024);
  }, 60_000);
});

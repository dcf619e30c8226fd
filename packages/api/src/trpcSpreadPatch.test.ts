// patches/@trpc+server+*.patch makes tRPC's object-spread helper use Object.assign (docs/benchmarks.md).
// These tests show the patch is installed and that it copies what the helper copied before, even for
// the one key where Object.assign differs from a spread: an own "__proto__" (as JSON.parse makes it).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { initTRPC } from '@trpc/server';
import { describe, expect, it } from 'vitest';

const t = initTRPC.context<Record<string, unknown>>().create();

describe("tRPC's spread helper, patched", () => {
  it('is patched in the installed @trpc/server (npm ci runs patch-package)', () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@trpc/server'));
    const helpers = readdirSync(dist).filter((file) => /\.(mjs|cjs)$/.test(file) && readFileSync(path.join(dist, file), 'utf8').includes('function _objectSpread2('));
    expect(helpers.length).toBeGreaterThan(0);
    for (const file of helpers) expect(readFileSync(path.join(dist, file), 'utf8'), file).toContain('wxtrpc patch');
  });

  it('passes context through middlewares as before: own keys copied, a "__proto__" key stays data', async () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "user": "u1"}') as Record<string, unknown>;
    const procedure = t.procedure
      .use(({ next }) => next({ ctx: hostile }))
      .use(({ next }) => next({ ctx: { extra: 1 } }))
      .query(({ ctx }) => ({
        keys: Object.keys(ctx).sort(),
        prototypeIsObject: Object.getPrototypeOf(ctx) === Object.prototype,
        polluted: (ctx as { polluted?: unknown }).polluted,
        protoValue: Object.getOwnPropertyDescriptor(ctx, '__proto__')?.value,
      }));
    const caller = t.createCallerFactory(t.router({ procedure }))({ base: true });
    expect(await caller.procedure()).toEqual({ keys: ['__proto__', 'base', 'extra', 'user'], prototypeIsObject: true, polluted: undefined, protoValue: { polluted: true } });
  });

  it('keeps the call options each middleware sees (path, type, input, meta)', async () => {
    const seen: unknown[] = [];
    const procedure = t.procedure
      .meta({ tag: 'm' } as never)
      .use(async (opts) => {
        seen.push({ path: opts.path, type: opts.type, input: await opts.getRawInput(), meta: opts.meta });
        return opts.next();
      })
      .input((value) => value as { n: number })
      .query(({ input }) => input.n * 2);
    const caller = t.createCallerFactory(t.router({ nested: t.router({ procedure }) }))({});
    expect(await caller.nested.procedure({ n: 21 })).toBe(42);
    expect(seen).toEqual([{ path: 'nested.procedure', type: 'query', input: { n: 21 }, meta: { tag: 'm' } }]);
  });
});

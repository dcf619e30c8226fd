// A direct call must do what tRPC's call of the same procedure does (tRPC's callTRPCProcedure is the
// reference here, as it is in the server's lean handler), or hand the call to tRPC before anything ran.
import v8 from 'node:v8';
import { callTRPCProcedure, initTRPC, type TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './ApiError.ts';
import type { ApiMetrics } from './ApiMetrics.ts';
import type { Context } from './context.ts';
import { directCalls, useTrpc, type DirectCall } from './directCall.ts';
import type { ValidSession } from './sessions/createSessionService.ts';
import { protectedProcedure, publicProcedure, router } from './trpc.ts';

const session: ValidSession = { session: { id: 's1', userId: 'u1', expiresAt: new Date('2030-01-01T00:00:00Z') }, user: { id: 'u1', nickName: 'n', avatarUrl: null } };

/** A context with the given session lookup whose metrics land in `calls`. */
function contextWith(auth: () => Promise<ValidSession | null>) {
  const calls: [string, string][] = [];
  const metrics: ApiMetrics = { procedureCall: (path, code) => void calls.push([path, code]), sessionsCreated() {}, sessionsEnded() {}, rateLimited() {} };
  const ctx = { services: { metrics }, db: {}, baseUrl: () => 'https://api.example.com', auth } as unknown as Context;
  return { ctx, calls };
}

let resolverRuns = 0;
const appLike = router({
  echo: publicProcedure.input(z.object({ n: z.number().int().default(1), s: z.string().optional() })).query(({ input, ctx }) => {
    resolverRuns++;
    return { input, base: ctx.baseUrl() };
  }),
  whoami: protectedProcedure.query(({ ctx }) => ({ user: ctx.user, session: ctx.session, hasAuth: typeof ctx.auth })),
  save: protectedProcedure.input(z.object({ v: z.string() })).mutation(({ input, ctx }) => ({ saved: input.v, by: ctx.session.userId })),
  notFound: publicProcedure.query(() => {
    throw new ApiError('NOT_FOUND', 'ORDER_NOT_FOUND', 'no such order');
  }),
  broken: protectedProcedure.query(() => {
    throw new Error('database is down');
  }),
  extraMiddleware: publicProcedure.use(({ next }) => next()).query(() => 1),
  withOutput: publicProcedure.output(z.number()).query(() => 1),
  twoInputs: publicProcedure
    .input(z.object({ a: z.number() }))
    .input(z.object({ b: z.number() }))
    .query(({ input }) => input),
});
const direct = directCalls(appLike);

type Outcome = { data: unknown } | { error: { code: string; message: string; cause: unknown } };
const settle = async (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    (data) => ({ data }),
    (error: TRPCError) => ({ error: { code: error.code, message: error.message, cause: error.cause } }),
  );

/** The same call made directly and by tRPC, each on a fresh context; their outcomes and the metrics they recorded. */
async function both(path: string, type: 'query' | 'mutation', rawInput: unknown, auth: () => Promise<ValidSession | null>) {
  const call = direct.get(path) as DirectCall;
  const mine = contextWith(auth);
  const theirs = contextWith(auth);
  const ours = await settle(call({ ctx: mine.ctx, path, type, rawInput, batchIndex: 0 }));
  const reference = await settle(callTRPCProcedure({ router: appLike, path, getRawInput: async () => rawInput, ctx: theirs.ctx, type, signal: undefined, batchIndex: 0 }));
  return { ours, reference, ourMetrics: mine.calls, referenceMetrics: theirs.calls };
}

const signedIn = async () => session;
const signedOut = async () => null;

// V8's own comparison of two objects' hidden classes (its natives syntax, allowed here for this one function).
v8.setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

describe('directCalls', () => {
  it('takes procedures built on publicProcedure / protectedProcedure with at most one zod input, and no others', () => {
    expect([...direct.keys()].sort()).toEqual(['broken', 'echo', 'notFound', 'save', 'whoami']);
  });

  it('takes no procedure of a router built with another tRPC instance', () => {
    const t = initTRPC.create();
    expect(directCalls(t.router({ plain: t.procedure.query(() => 1) })).size).toBe(0);
  });

  it.each([
    ['a query with input', 'echo', 'query', { n: 3, s: 'x' }],
    ['a query with input defaults', 'echo', 'query', {}],
    ['a protected query', 'whoami', 'query', undefined],
    ['a protected mutation with input', 'save', 'mutation', { v: 'hello' }],
  ] as const)('answers %s as tRPC does and records the call the same way', async (_, path, type, rawInput) => {
    const { ours, reference, ourMetrics, referenceMetrics } = await both(path, type, rawInput, signedIn);
    expect(ours).toEqual(reference);
    expect('data' in ours).toBe(true);
    expect(ourMetrics).toEqual(referenceMetrics);
    expect(ourMetrics).toEqual([[path, 'OK']]);
  });

  it.each([
    ['an error the resolver throws (ApiError)', 'notFound', signedIn, 'NOT_FOUND'],
    ['an unexpected error (kept as the cause of INTERNAL_SERVER_ERROR)', 'broken', signedIn, 'INTERNAL_SERVER_ERROR'],
  ] as const)('rejects with %s as tRPC does and records its code', async (_, path, auth, code) => {
    const { ours, reference, ourMetrics, referenceMetrics } = await both(path, 'query', undefined, auth);
    expect(ours).toEqual(reference);
    expect('error' in ours && ours.error.code).toBe(code);
    expect(ourMetrics).toEqual(referenceMetrics);
  });

  it('hands the call to tRPC, having run and recorded nothing, when there is no session', async () => {
    const { ctx, calls } = contextWith(signedOut);
    expect(await direct.get('whoami')!({ ctx, path: 'whoami', type: 'query', rawInput: undefined, batchIndex: 0 })).toBe(useTrpc);
    expect(calls).toEqual([]);
  });

  it('hands the call to tRPC when the session lookup fails', async () => {
    const { ctx, calls } = contextWith(() => Promise.reject(new Error('database is down')));
    expect(await direct.get('whoami')!({ ctx, path: 'whoami', type: 'query', rawInput: undefined, batchIndex: 0 })).toBe(useTrpc);
    expect(calls).toEqual([]);
  });

  it.each([[{ n: 1.5 }], ['not an object'], [null], [{ n: 1, s: 7 }]])('hands the call to tRPC, before the resolver runs, for input %j that does not parse', async (rawInput) => {
    const { ctx, calls } = contextWith(signedIn);
    const runs = resolverRuns;
    expect(await direct.get('echo')!({ ctx, path: 'echo', type: 'query', rawInput, batchIndex: 0 })).toBe(useTrpc);
    expect(resolverRuns).toBe(runs);
    expect(calls).toEqual([]);
  });

  it('gives the contexts of all its calls one hidden class (`{ ...ctx, user }` would give each its own, in the old generation)', async () => {
    const seen: Context[] = [];
    const calls = directCalls(router({ ctxOf: protectedProcedure.query(({ ctx }) => void seen.push(ctx)) }));
    // V8 gives a spread its own hidden class once the spread's inline cache has warmed up, so call it a few times.
    for (let i = 0; i < 10; i++) await calls.get('ctxOf')!({ ctx: contextWith(signedIn).ctx, path: 'ctxOf', type: 'query', rawInput: undefined, batchIndex: 0 });
    expect(haveSameMap({ a: 1 }, { b: 1 })).toBe(false); // the check can tell
    expect(haveSameMap(seen[8]!, seen[9]!)).toBe(true);
  });
});

describe('the procedures of the app router', () => {
  it('all have direct calls (a new middleware or output parser would silently send them back to tRPC)', async () => {
    const { appRouter } = await import('./appRouter.ts');
    expect([...directCalls(appRouter).keys()].sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });
});

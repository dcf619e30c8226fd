// Calls a procedure without tRPC's middleware chain, doing inline what our two middlewares (trpc.ts) do.
//
// Why: tRPC runs each middleware level through an async call that copies the call's options (and, for
// requireSession, the context); for a call whose work is one indexed read, that chain was about a fifth of
// the server's CPU per request (docs/benchmarks.md). Only procedures built exactly as
// `publicProcedure | protectedProcedure` + at most one zod `.input()` + a resolver are taken, and only on
// the path where our middlewares would simply pass through: with no session, an input that does not
// parse, or a session lookup that fails, the caller hands the call to tRPC (which then answers, records the
// metrics and formats the error as always; the session lookup is memoized per request, so it is not
// repeated). Once the resolver has run, its outcome is final: an error is recorded and thrown as the
// middleware would record it, for the caller to format as tRPC does. protocol.test.ts compares the answers
// with tRPC's stock adapter.
import { getTRPCErrorFromUnknown, type AnyProcedure, type AnyRouter } from '@trpc/server';
import { z } from 'zod';
import type { Context } from './context.ts';
import { recordCall, recordCalls, requireSession } from './trpc.ts';

/** What a direct call returns when tRPC must make the call instead (nothing has run that matters). */
export const useTrpc = Symbol('useTrpc');

export interface DirectCallOptions {
  ctx: Context;
  path: string;
  type: 'query' | 'mutation';
  /** The call's input as sent (parsed JSON), before validation. */
  rawInput: unknown;
  batchIndex: number;
}

/** Resolves with the call's data, or `useTrpc`; rejects with the TRPCError tRPC would have answered with. */
export type DirectCall = (options: DirectCallOptions) => Promise<unknown>;

type Resolver = (options: object) => unknown;
interface ProcedureDef {
  type: string;
  inputs: unknown[];
  middlewares: { _type?: string }[];
  resolver?: Resolver;
  output?: unknown;
  caller?: unknown;
  meta?: unknown;
}

const [recordCallsFn] = recordCalls._middlewares;
const [requireSessionFn] = requireSession._middlewares;

/** The direct call for each procedure of `router` that has one. */
export function directCalls(router: AnyRouter): ReadonlyMap<string, DirectCall> {
  const calls = new Map<string, DirectCall>();
  for (const [path, procedure] of Object.entries(router._def.procedures as Record<string, AnyProcedure>)) {
    const call = directCallOf(procedure._def as unknown as ProcedureDef);
    if (call) calls.set(path, call);
  }
  return calls;
}

function directCallOf(def: ProcedureDef): DirectCall | undefined {
  const [first, ...rest] = def.middlewares;
  const guarded = first === requireSessionFn;
  if (!guarded && first !== recordCallsFn) return undefined;
  if (def.type !== 'query' && def.type !== 'mutation') return undefined;
  if (def.output !== undefined || def.caller !== undefined || typeof def.resolver !== 'function') return undefined;
  // After our middleware: tRPC's input middleware when there is one input, then the resolver's.
  if (def.inputs.length > 1 || rest.length !== def.inputs.length + 1) return undefined;
  if (def.inputs.length === 1 && rest[0]?._type !== 'input') return undefined;
  const schema = def.inputs[0];
  if (schema !== undefined && !(schema instanceof z.ZodType)) return undefined;
  const { resolver, meta } = def;

  return async ({ ctx, path, type, rawInput, batchIndex }) => {
    const started = performance.now();
    let callCtx: Context = ctx;
    if (guarded) {
      let auth: Awaited<ReturnType<Context['auth']>>;
      try {
        auth = await ctx.auth();
      } catch {
        return useTrpc;
      }
      if (!auth) return useTrpc;
      // tRPC's merge ({ ...ctx, ...next }) without a spread: on Node 20's V8 a spread followed by more properties
      // gives each object a hidden class of its own (old generation, ~0.5 KB per call), Object.assign does not.
      callCtx = Object.assign({}, ctx, { user: auth.user, session: auth.session });
    }
    let input: unknown;
    if (schema) {
      try {
        input = schema.parse(rawInput); // tRPC's parser for a zod schema: parse, and parseAsync if that throws without issues
      } catch {
        return useTrpc;
      }
    }
    let data: unknown;
    try {
      data = await resolver({ ctx: callCtx, input, path, type, meta, batchIndex, signal: undefined, getRawInput: async () => rawInput });
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      recordCall(ctx, path, started, error.code);
      throw error;
    }
    recordCall(ctx, path, started, 'OK');
    return data;
  };
}

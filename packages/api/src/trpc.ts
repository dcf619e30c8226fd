import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ApiError } from './ApiError.ts';
import type { Context } from './context.ts';

const t = initTRPC.context<Context>().create({
  // Plain JSON on the wire (no transformer), so any HTTP client can call the API.
  isDev: false,
  errorFormatter({ shape, error }) {
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const zodError = error.cause instanceof z.ZodError ? error.cause : null;
    return {
      code: shape.code,
      // Internal failures keep their details in the server log; clients get no stack and no internal message.
      message: internal ? 'Internal server error' : zodError ? `Invalid input: ${z.prettifyError(zodError)}` : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        reason: error instanceof ApiError ? error.reason : null,
        issues: zodError ? zodError.issues.map(({ path, message }) => ({ path: path.join('.'), message })) : null,
      },
    };
  },
});

export const router = t.router;

export const recordCall = (ctx: Context, path: string, started: number, code: string) => ctx.services.metrics.procedureCall(path, code, (performance.now() - started) / 1000);
const codeOf = (cause: unknown) => (cause instanceof TRPCError ? cause.code : 'INTERNAL_SERVER_ERROR');

/** Every call's outcome and duration go to the metrics. */
export const recordCalls = t.middleware(async ({ ctx, path, next }) => {
  const started = performance.now();
  const result = await next();
  recordCall(ctx, path, started, result.ok ? 'OK' : result.error.code);
  return result;
});

/**
 * Requires a valid session; `ctx.user` and `ctx.session` are non-null by type. Metrics as recordCalls',
 * in the same middleware: each level of tRPC's middleware chain copies the call's options and context,
 * and the authenticated procedures are the hot ones.
 */
export const requireSession = t.middleware(async ({ ctx, path, next }) => {
  const started = performance.now();
  let auth;
  try {
    auth = await ctx.auth();
    if (!auth) throw new ApiError('UNAUTHORIZED', 'SESSION_INVALID', 'Log in first: the session is missing, unknown or expired');
  } catch (cause) {
    recordCall(ctx, path, started, codeOf(cause));
    throw cause;
  }
  const result = await next({ ctx: { user: auth.user, session: auth.session } });
  recordCall(ctx, path, started, result.ok ? 'OK' : result.error.code);
  return result;
});

/** Procedures anyone may call. (directCall.ts calls procedures built on these two without the middleware chain.) */
export const publicProcedure = t.procedure.use(recordCalls);
/** Procedures for signed-in callers. */
export const protectedProcedure = t.procedure.use(requireSession);

import { initTRPC } from '@trpc/server';
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

/** Every call's outcome and duration go to the metrics. */
export const publicProcedure = t.procedure.use(async ({ ctx, path, next }) => {
  const started = performance.now();
  const result = await next();
  ctx.services.metrics.procedureCall(path, result.ok ? 'OK' : result.error.code, (performance.now() - started) / 1000);
  return result;
});

/** Requires a valid session; `ctx.user` and `ctx.session` are non-null by type. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const auth = await ctx.auth();
  if (!auth) throw new ApiError('UNAUTHORIZED', 'SESSION_INVALID', 'Log in first: the session is missing, unknown or expired');
  return next({ ctx: { user: auth.user, session: auth.session } });
});

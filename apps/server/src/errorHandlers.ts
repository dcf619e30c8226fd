import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type TrpcCode = keyof typeof TRPC_ERROR_CODES_BY_KEY;

const codeByStatus: Record<number, TrpcCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  408: 'TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/** The body tRPC itself sends for an error (with our `data` fields), for failures that happen before tRPC runs. */
export function trpcErrorBody(code: TrpcCode, httpStatus: number, message: string) {
  return {
    error: {
      code: TRPC_ERROR_CODES_BY_KEY[code],
      message,
      data: { code, httpStatus, path: null, reason: null, issues: null },
    },
  };
}

/** Whether the request targets /trpc, however its target is spelled (origin or absolute form). */
const isTrpcRequest = (request: FastifyRequest) => {
  const target = request.url.startsWith('/') ? request.url : request.url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  return target === '/trpc' || target.startsWith('/trpc/') || target.startsWith('/trpc?');
};

/**
 * For Fastify's `frameworkErrors` option: routing errors (a URL too long for the router, a malformed URL)
 * that happen before any handler, answered in the same format as everything else.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'The procedure path is too long (too many calls in one batch?)' : 'Malformed request URL';
  if (!isTrpcRequest(request)) return reply.code(status).send({ statusCode: status, error: message });
  return reply.code(status).send(trpcErrorBody(codeByStatus[status] ?? 'BAD_REQUEST', status, message));
}

/**
 * Errors Fastify raises before a procedure runs (body too large, bad content type, rate limit, unknown
 * route) answer tRPC-shaped on /trpc, so every client sees one error format. 5xx never carry details.
 */
export function installErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const message = status >= 500 ? 'Internal server error' : error.message;
    if (!isTrpcRequest(request)) return reply.code(status).send({ statusCode: status, error: message });
    const code: TrpcCode = status >= 500 ? 'INTERNAL_SERVER_ERROR' : (codeByStatus[status] ?? 'BAD_REQUEST');
    return reply.code(status).send(trpcErrorBody(code, status, message));
  });

  app.setNotFoundHandler((request, reply) => {
    if (!isTrpcRequest(request)) return reply.code(404).send({ statusCode: 404, error: 'Not found' });
    return reply.code(404).send(trpcErrorBody('NOT_FOUND', 404, 'No such procedure'));
  });
}

import type { FastifyRequest } from 'fastify';

export interface TrpcRequestInfo {
  batch: boolean;
  /** The procedure paths the request calls, as tRPC resolves them; null when tRPC refuses the path (bad %-encoding). */
  paths: string[] | null;
  /** The query string (`input`, `batch`). */
  query: URLSearchParams;
}

/**
 * What a /trpc/:path request calls, read exactly as tRPC's resolveResponse reads it (the routed path
 * parameter decoded once more, split at commas for a batch), so the rate limits and the lean handler
 * see the calls that will really run, however the request was spelled.
 */
export function readTrpcRequest(request: FastifyRequest<{ Params: { path: string } }>): TrpcRequestInfo {
  // Read once per request: the rate limiter, the handler and the request log all ask.
  const memo = request as { [read]?: TrpcRequestInfo };
  return (memo[read] ??= readOnce(request));
}

const read = Symbol('trpcRequest');

function readOnce(request: FastifyRequest<{ Params: { path: string } }>): TrpcRequestInfo {
  const url = request.raw.url ?? '';
  const queryStart = url.indexOf('?');
  const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  const batch = query.get('batch') === '1';
  let path: string;
  try {
    path = decodeURIComponent(request.params.path);
  } catch {
    return { batch, paths: null, query };
  }
  return { batch, paths: batch ? path.split(',') : [path], query };
}

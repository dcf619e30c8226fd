import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { trpcRoute } from './plugins/rateLimitPlugin.ts';
import { readTrpcRequest } from './trpc/readTrpcRequest.ts';

/**
 * Fastify's request logging, as one line per request when its answer is sent: the method, the route (its
 * pattern, never the URL as sent: query strings carry inputs), the procedure(s) a /trpc request called,
 * the status and the duration. Nothing is logged when a request arrives.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url ?? null;
    const procedures = route === trpcRoute ? readTrpcRequest(request as FastifyRequest<{ Params: { path: string } }>).paths : undefined;
    const line = { method: request.method, route, procedures, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) request.log.error({ ...line, err: error }, 'request failed');
    else request.log.info(line, 'request');
  }
}

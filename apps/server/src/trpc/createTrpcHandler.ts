// tRPC's HTTP protocol (queries, mutations, batching, errors) without the Fetch API round trip.
//
// Why: the stock adapter turns every Fastify request into a Fetch `Request`, runs `resolveResponse`, and
// turns the `Response` back; with AbortSignal.any, web streams and the garbage they make, that costs more
// than our procedures themselves (docs/benchmarks.md). This file mirrors what `resolveResponse` does for
// JSON queries and mutations, with tRPC's own error shaping and status rules, and nothing else:
// no subscriptions, streaming, FormData or binary inputs, method override or transformers' streams.
// protocol.test.ts sends the same requests here and to the stock adapter and compares the answers.
import {
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  TRPCError,
  type AnyProcedure,
  type AnyRouter,
  type inferRouterContext,
} from '@trpc/server/unstable-core-do-not-import';

export interface TrpcHttpRequest {
  method: string;
  /** The procedure path(s) after the prefix, already URL-decoded: "auth.check" or "auth.check,order.list". */
  path: string;
  batch: boolean;
  /** The `input` query parameter (GET). */
  inputParam: string | undefined;
  /** The raw request body (POST). */
  body: string | undefined;
  contentType: string | undefined;
}

export interface TrpcHttpResponse {
  status: number;
  body: string | null;
  /** Set when a call used the wrong HTTP method. */
  allow?: string;
}

type ProcedureType = 'query' | 'mutation' | 'subscription';

export interface TrpcHandlerOptions<TRouter extends AnyRouter, TRawRequest> {
  router: TRouter;
  createContext(request: TRawRequest): inferRouterContext<TRouter> | Promise<inferRouterContext<TRouter>>;
  maxBatchSize?: number;
  onError?(opts: { error: TRPCError; path: string | undefined; input: unknown; type: ProcedureType | 'unknown'; request: TRawRequest }): void;
}

const acceptedMethod: Record<ProcedureType, string> = { query: 'GET', mutation: 'POST', subscription: 'GET' };

const isJson = (contentType: string | undefined) => contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';

export function createTrpcHandler<TRouter extends AnyRouter, TRawRequest>(options: TrpcHandlerOptions<TRouter, TRawRequest>) {
  const { router, maxBatchSize } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyProcedure | undefined>;
  const deserialize = (value: unknown) => config.transformer.input.deserialize(value);

  return async function handle(http: TrpcHttpRequest, request: TRawRequest): Promise<TrpcHttpResponse> {
    if (http.method === 'HEAD') return { status: 204, body: null };
    let ctx: inferRouterContext<TRouter> | undefined;
    let type: ProcedureType | 'unknown' = 'unknown';
    try {
      if (http.method !== 'GET' && !isJson(http.contentType)) {
        throw new TRPCError({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: http.contentType ? `Unsupported content-type "${http.contentType}` : 'Missing content-type header',
        });
      }
      const paths = http.batch ? http.path.split(',') : [http.path];
      if (http.batch && maxBatchSize !== undefined && paths.length > maxBatchSize) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Batch call exceeds maximum size' });
      }

      // Inputs are parsed on first use, inside the procedure, as tRPC does (a bad JSON input is that call's error).
      let inputs: Record<number, unknown> | undefined;
      let inputsError: unknown;
      let parsed = false;
      const readInputs = (): Record<number, unknown> => {
        if (!parsed) {
          parsed = true;
          try {
            const text = http.method === 'GET' ? http.inputParam : http.body;
            const raw: unknown = text ? JSON.parse(text) : undefined;
            inputs = {};
            if (raw !== undefined) {
              if (!http.batch) inputs[0] = deserialize(raw);
              else if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
                throw new TRPCError({ code: 'BAD_REQUEST', message: '"input" needs to be an object when doing a batch call' });
              } else {
                for (let index = 0; index < paths.length; index++) {
                  const value = (raw as Record<string, unknown>)[index];
                  if (value !== undefined) inputs[index] = deserialize(value);
                }
              }
            }
          } catch (cause) {
            inputsError =
              cause instanceof TRPCError
                ? cause
                : new TRPCError({ code: 'BAD_REQUEST', message: cause instanceof Error ? cause.message : 'Invalid input', cause });
            inputs = undefined;
          }
        }
        if (inputsError !== undefined) throw inputsError;
        return inputs!;
      };
      const inputAt = (index: number) => (parsed && inputs ? inputs[index] : undefined);

      const calls = paths.map((path) => ({ path, procedure: Object.hasOwn(procedures, path) ? procedures[path] : undefined }));
      const types = new Set(calls.flatMap((call) => (call.procedure ? [call.procedure._def.type as ProcedureType] : [])));
      if (types.size > 1) throw new TRPCError({ code: 'BAD_REQUEST', message: `Cannot mix procedure types in call: ${[...types].join(', ')}` });
      type = types.values().next().value ?? 'unknown';

      ctx = await options.createContext(request);
      let allow: string | undefined;
      const outcomes = await Promise.all(
        calls.map(async ({ path, procedure }, index): Promise<[TRPCError, undefined] | [undefined, unknown]> => {
          try {
            if (!procedure) throw new TRPCError({ code: 'NOT_FOUND', message: `No procedure found on path "${path}"` });
            const procedureType = procedure._def.type as ProcedureType;
            if (procedureType === 'subscription') {
              throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'Subscriptions are not served over this endpoint' });
            }
            if (acceptedMethod[procedureType] !== http.method) {
              allow = acceptedMethod[procedureType];
              throw new TRPCError({
                code: 'METHOD_NOT_SUPPORTED',
                message: `Unsupported ${http.method}-request to ${procedureType} procedure at path "${path}"`,
              });
            }
            const data = await procedure({ path, getRawInput: async () => readInputs()[index], ctx, type: procedureType, signal: undefined, batchIndex: index });
            return [undefined, data];
          } catch (cause) {
            const error = getTRPCErrorFromUnknown(cause);
            options.onError?.({ error, path, input: inputAt(index), type: procedure?._def.type ?? 'unknown', request });
            return [error, undefined];
          }
        }),
      );

      const envelopes = outcomes.map(([error, data], index) =>
        error
          ? { error: getErrorShape({ config, ctx, error, input: inputAt(index), path: calls[index]!.path, type: calls[index]!.procedure?._def.type ?? 'unknown' }) }
          : { result: { data } },
      );
      const errors = outcomes.map(([error]) => error);
      if (!http.batch) {
        return { status: getHTTPStatusCode(envelopes[0]!, errors), body: JSON.stringify(transformTRPCResponse(config, envelopes[0]!)), allow };
      }
      return { status: getHTTPStatusCode(envelopes, errors), body: JSON.stringify(transformTRPCResponse(config, envelopes)), allow };
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      options.onError?.({ error, path: undefined, input: undefined, type, request });
      const envelope = { error: getErrorShape({ config, ctx, error, input: undefined, path: undefined, type }) };
      return { status: getHTTPStatusCode(envelope, [error]), body: JSON.stringify(transformTRPCResponse(config, envelope)) };
    }
  };
}

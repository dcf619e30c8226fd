// tRPC's HTTP protocol for plain JSON queries, mutations and batches, without the Fetch API round trip.
//
// Why: the stock adapter turns every Fastify request into a Fetch `Request`, runs `resolveResponse`, and
// turns the `Response` back; with AbortSignal.any, web streams and the garbage they make, that costs more
// than our procedures themselves (docs/benchmarks.md). This handler takes only requests it is sure to
// answer as `resolveResponse` would: GET queries and JSON POST mutations whose every call names a known
// procedure of the right type, with JSON input, no streaming accept header, within the batch limit.
// For anything else it returns null and the caller hands the request to tRPC's own adapter, so errors of
// the protocol itself, streaming, FormData and binary inputs, lazy routers and the rest are tRPC's.
// protocol.test.ts sends the same requests here and to the stock adapter and compares the answers.
import { callTRPCProcedure, getErrorShape, getTRPCErrorFromUnknown, type AnyRouter, type inferRouterContext, type TRPCError } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { TrpcRequestInfo } from './readTrpcRequest.ts';

export interface LeanRequest extends TrpcRequestInfo {
  method: string;
  contentType: string | undefined;
  /** Whether the client asked for a streamed (JSON lines) answer. */
  streaming: boolean;
  /** The raw body of a POST, as text. */
  body: string | undefined;
}

export interface LeanResponse {
  status: number;
  body: string;
}

type CallType = 'query' | 'mutation';

export interface LeanTrpcHandlerOptions<TRouter extends AnyRouter, TRawRequest> {
  router: TRouter;
  createContext(request: TRawRequest): inferRouterContext<TRouter> | Promise<inferRouterContext<TRouter>>;
  maxBatchSize: number;
  /**
   * Calls that may skip tRPC's middleware chain (see @wxtrpc/api's directCall.ts): each resolves with the
   * data, rejects with a TRPCError, or resolves with `useTrpc` to have tRPC make the call.
   */
  direct?: {
    calls: ReadonlyMap<string, (options: { ctx: inferRouterContext<TRouter>; path: string; type: CallType; rawInput: unknown; batchIndex: number }) => Promise<unknown>>;
    useTrpc: symbol;
  };
  onError?(opts: { error: TRPCError; path: string; type: CallType; request: TRawRequest }): void;
}

/** The media type as tRPC reads it to pick a body parser (lower case, parameters dropped). */
const mediaType = (contentType: string | undefined) => contentType?.toLowerCase().split(';', 1)[0]?.trim();
/** tRPC parses a request's input as FormData or binary when its content type says so, even on a GET. */
const otherParser = new Set(['multipart/form-data', 'application/octet-stream']);

const parseJson = (text: string | null | undefined): { ok: true; value: unknown } | { ok: false } => {
  if (!text) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

export function createLeanTrpcHandler<TRouter extends AnyRouter, TRawRequest>(options: LeanTrpcHandlerOptions<TRouter, TRawRequest>) {
  const { router, maxBatchSize, direct } = options;
  const config = router._def._config;
  // Plain JSON on the wire is this handler's premise; with a transformer everything goes to tRPC.
  const probe = {};
  const plainJson = config.transformer.input.deserialize(probe) === probe && config.transformer.output.serialize(probe) === probe;
  const typeOf = (path: string): CallType | 'other' | undefined => {
    const procedures = router._def.procedures as Record<string, { _def: { type: string } } | undefined>;
    if (!Object.hasOwn(procedures, path)) return undefined; // unknown, or in a lazy router not loaded yet
    const type = procedures[path]!._def.type;
    return type === 'query' || type === 'mutation' ? type : 'other';
  };

  /** The answer, or null when the request is not one this handler takes. */
  return async function handle(request: LeanRequest, raw: TRawRequest): Promise<LeanResponse | null> {
    const media = mediaType(request.contentType);
    const type: CallType | null =
      request.method === 'GET' && !otherParser.has(media ?? '') ? 'query' : request.method === 'POST' && media === 'application/json' ? 'mutation' : null;
    const { paths } = request;
    if (!plainJson || !type || request.streaming || !paths || paths.length > maxBatchSize) return null;
    if (!paths.every((path) => typeOf(path) === type)) return null;
    const input = parseJson(type === 'query' ? request.query.get('input') : request.body);
    if (!input.ok) return null;
    let inputs: unknown[];
    if (!request.batch) inputs = [input.value];
    else if (input.value === undefined) inputs = [];
    else if (typeof input.value !== 'object' || input.value === null || Array.isArray(input.value)) return null;
    else inputs = paths.map((_, index) => (input.value as Record<string, unknown>)[index]);

    let ctx: inferRouterContext<TRouter> | undefined;
    let ctxError: TRPCError | undefined;
    try {
      // Awaited only when it is a thenable (as `await` would treat it): each await is a suspension and a microtask.
      const made = options.createContext(raw);
      ctx = typeof (made as { then?: unknown } | undefined)?.then === 'function' ? await made : (made as inferRouterContext<TRouter>);
    } catch (cause) {
      ctxError = getTRPCErrorFromUnknown(cause);
    }
    const call = async (path: string, index: number): Promise<[TRPCError, undefined] | [undefined, unknown]> => {
      try {
        if (ctxError) throw ctxError;
        const directCall = direct?.calls.get(path);
        if (directCall) {
          const data = await directCall({ ctx: ctx!, path, type, rawInput: inputs[index], batchIndex: index });
          if (data !== direct!.useTrpc) return [undefined, data];
        }
        const data: unknown = await callTRPCProcedure({ router, path, getRawInput: async () => inputs[index], ctx, type, signal: undefined, batchIndex: index });
        return [undefined, data];
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        options.onError?.({ error, path, type, request: raw });
        return [error, undefined];
      }
    };
    const outcomes = paths.length === 1 ? [await call(paths[0]!, 0)] : await Promise.all(paths.map(call));
    const [firstError, firstData] = outcomes[0] ?? [];
    // A single call that succeeded: its envelope, and 200 as getHTTPStatusCode answers for it.
    if (!request.batch && !firstError) return { status: 200, body: JSON.stringify({ result: { data: firstData } }) };
    const envelopes = outcomes.map(([error, data], index) =>
      error ? { error: getErrorShape({ config, ctx, error, input: inputs[index], path: paths[index], type }) } : { result: { data } },
    );
    const errors = outcomes.map(([error]) => error);
    const json = request.batch ? envelopes : envelopes[0]!;
    // tRPC's transformTRPCResponse would copy each envelope through the identity transformer: the same text.
    return { status: getHTTPStatusCode(json, errors), body: JSON.stringify(json) };
  };
}

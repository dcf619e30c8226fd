// This server must speak exactly the stock adapter's protocol: the same requests go to it and to tRPC's
// stock fastifyTRPCPlugin (over HTTP, same router, same services, same database) and must get the same
// status, content type, headers tRPC sets, and body. The reference app gets our Fastify-level error
// handlers too (404/415 from Fastify itself answer tRPC-shaped in both), so only the tRPC handling differs.
import { maxBatchSize } from '@wxtrpc/api';
import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameworkErrorHandler, installErrorHandlers } from '../errorHandlers.ts';
import { registerStockTrpcAdapter } from '../testing/registerStockTrpcAdapter.ts';
import { startTestServer, type TestServer } from '../testing/startTestServer.ts';

let server: TestServer;
let stock: FastifyInstance;
let stockUrl: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  stock = Fastify({ logger: false, routerOptions: { maxParamLength: 5_000 }, frameworkErrors: frameworkErrorHandler });
  installErrorHandlers(stock);
  await registerStockTrpcAdapter(stock, server.app.services.api);
  stockUrl = await stock.listen({ host: '127.0.0.1', port: 0 });
  token = (await server.login('protocol')).token;
});
afterAll(async () => {
  await stock.close();
  await server.close();
});

interface Probe {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  auth?: boolean;
}

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const json = { 'content-type': 'application/json' };
const probes: Probe[] = [
  { name: 'query without a session', path: '/trpc/auth.check' },
  { name: 'query with a session', path: '/trpc/auth.check', auth: true },
  { name: 'query with input', path: `/trpc/order.list?input=${q({ limit: 2 })}`, auth: true },
  { name: 'query with a null input', path: `/trpc/order.list?input=null`, auth: true },
  { name: 'invalid input (zod)', path: `/trpc/order.list?input=${q({ limit: 0 })}`, auth: true },
  { name: 'input that is not JSON', path: '/trpc/order.list?input=%7Bnope', auth: true },
  { name: 'protected without a session', path: '/trpc/order.list' },
  { name: 'unknown procedure', path: '/trpc/no.such.thing' },
  { name: 'a router, not a procedure', path: '/trpc/auth' },
  { name: 'prototype key as a path', path: '/trpc/__proto__' },
  { name: 'batch of queries', path: `/trpc/auth.check,order.list?batch=1&input=${q({ 1: { limit: 1 } })}`, auth: true },
  { name: 'batch with success and errors (207)', path: `/trpc/auth.check,order.list,nope?batch=1&input=${q({ 1: { limit: 99 } })}`, auth: true },
  { name: 'batch of one', path: `/trpc/order.list?batch=1&input=${q({ 0: { limit: 1 } })}`, auth: true },
  { name: 'batch without input', path: '/trpc/auth.check,auth.check?batch=1' },
  { name: 'batch input that is not an object', path: `/trpc/order.list?batch=1&input=${q([1, 2])}`, auth: true },
  { name: 'batch over the limit', path: `/trpc/${Array.from({ length: maxBatchSize + 1 }, () => 'auth.check').join(',')}?batch=1` },
  { name: 'batch mixing queries and mutations', path: '/trpc/auth.check,auth.login?batch=1' },
  { name: 'GET to a mutation', path: '/trpc/auth.logout', auth: true },
  { name: 'POST to a query', method: 'POST', path: '/trpc/auth.check', headers: json, body: '{}' },
  { name: 'mutation with a WeChat error', method: 'POST', path: '/trpc/auth.login', headers: json, body: JSON.stringify({ code: 'unknown-code' }) },
  { name: 'mutation with invalid input', method: 'POST', path: '/trpc/auth.login', headers: json, body: JSON.stringify({ code: 42 }) },
  { name: 'mutation with a body that is not JSON', method: 'POST', path: '/trpc/auth.login', headers: json, body: '{"code":' },
  { name: 'mutation without a body', method: 'POST', path: '/trpc/auth.login', headers: json },
  { name: 'mutation without a content type', method: 'POST', path: '/trpc/auth.login', body: 'x' },
  { name: 'mutation with another content type', method: 'POST', path: '/trpc/auth.login', headers: { 'content-type': 'text/plain' }, body: 'x' },
  { name: 'protected mutation without a session', method: 'POST', path: '/trpc/auth.logout', headers: json },
  { name: 'batch of mutations', method: 'POST', path: '/trpc/auth.login,auth.logout?batch=1', headers: json, body: JSON.stringify({ 0: { code: 'zz' } }) },
  { name: 'JSON content type with parameters', method: 'POST', path: '/trpc/auth.login', headers: { 'content-type': 'Application/JSON; charset=utf-8' }, body: '{"code":"q"}' },
  { name: 'HEAD', method: 'HEAD', path: '/trpc/auth.check' },
  { name: 'PUT', method: 'PUT', path: '/trpc/auth.check', headers: json, body: '{}' },
  { name: 'DELETE', method: 'DELETE', path: '/trpc/auth.logout' },
  {
    name: 'streamed batch (httpBatchStreamLink)',
    path: `/trpc/auth.check,order.list?batch=1&input=${q({ 1: { limit: 2 } })}`,
    headers: { 'trpc-accept': 'application/jsonl' },
    auth: true,
  },
  { name: 'streamed batch via Accept', path: '/trpc/auth.check?batch=1', headers: { accept: 'application/jsonl' } },
  { name: 'streamed call that is not a batch', path: '/trpc/auth.check', headers: { 'trpc-accept': 'application/jsonl' } },
  {
    name: 'FormData input',
    method: 'POST',
    path: '/trpc/auth.login',
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
    body: '--x\r\nContent-Disposition: form-data; name="code"\r\n\r\nabc\r\n--x--\r\n',
  },
  { name: 'binary input', method: 'POST', path: '/trpc/auth.login', headers: { 'content-type': 'application/octet-stream' }, body: 'xyz' },
  { name: 'GET with a binary content type', path: '/trpc/auth.check?input=%7B%7D', headers: { 'content-type': 'application/octet-stream' } },
  { name: 'GET with a FormData content type', path: '/trpc/auth.check', headers: { 'content-type': 'Multipart/Form-Data; boundary=x' } },
  { name: 'GET with a text content type', path: '/trpc/auth.check', headers: { 'content-type': 'text/plain' } },
  { name: 'percent-encoded path', path: '/trpc/auth%2Echeck' },
  { name: 'twice percent-encoded path', path: '/trpc/auth%252Echeck' },
  { name: 'bad percent-encoding', path: '/trpc/auth%25E0check' },
  { name: 'batch=0 with a comma path', path: '/trpc/auth.check,auth.check?batch=0' },
  { name: 'order.detail unknown id', path: `/trpc/order.detail?input=${q({ id: '6b1c7d3e-8a1f-4c2b-9d3e-2f1a0b9c8d7e' })}`, auth: true },
];

interface Answer {
  status: number;
  contentType: string | null;
  vary: string | null;
  allow: string | null;
  body: unknown;
}

async function send(base: string, probe: Probe): Promise<Answer> {
  const response = await fetch(`${base}${probe.path}`, {
    method: probe.method ?? 'GET',
    headers: { ...probe.headers, ...(probe.auth ? { authorization: `Bearer ${token}` } : {}) },
    ...(probe.body !== undefined ? { body: probe.body } : {}),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // A streamed answer: JSON lines, sent in the order calls finish (which may differ between two runs).
    body = text.split('\n').filter(Boolean).sort();
  }
  return { status: response.status, contentType, vary: response.headers.get('vary'), allow: response.headers.get('allow'), body };
}

/** The procedure calls recorded so far (both apps share the services, so the metrics too): `procedure code` -> count. */
async function recordedCalls(): Promise<Map<string, number>> {
  const metric = server.app.services.metrics.registry.getSingleMetric('wxtrpc_procedure_calls_total')!;
  const { values } = await metric.get();
  return new Map(values.map(({ labels, value }) => [`${labels.procedure} ${labels.code}`, value]));
}
/** What sending `probe` to `base` added to the recorded calls. */
async function callsRecordedBy(base: string, probe: Probe): Promise<Record<string, number>> {
  const before = await recordedCalls();
  await send(base, probe);
  const added: Record<string, number> = {};
  for (const [key, count] of await recordedCalls()) if (count !== (before.get(key) ?? 0)) added[key] = count - (before.get(key) ?? 0);
  return added;
}

describe('this server vs the stock fastifyTRPCPlugin', () => {
  it.each(probes.map((probe) => [probe.name, probe] as const))('%s', async (_, probe) => {
    const [ours, theirs] = [await send(server.url, probe), await send(stockUrl, probe)];
    expect(ours).toEqual(theirs);
  });

  // The lean handler calls most procedures without tRPC's middleware chain (@wxtrpc/api's directCall.ts),
  // doing what the metrics middleware does itself: the same calls must be recorded, with the same codes.
  it.each(probes.map((probe) => [probe.name, probe] as const))('records the same procedure calls: %s', async (_, probe) => {
    const [ours, theirs] = [await callsRecordedBy(server.url, probe), await callsRecordedBy(stockUrl, probe)];
    expect(ours).toEqual(theirs);
  });

  it('records a successful call as OK', async () => {
    expect(await callsRecordedBy(server.url, { name: 'check', path: '/trpc/auth.check', auth: true })).toEqual({ 'auth.check OK': 1 });
  });

  it('a mutation that succeeds answers the same (each server logs out its own session)', async () => {
    const mine = (await server.login('protocol-out-1')).token;
    const theirsToken = (await server.login('protocol-out-2')).token;
    const logout = (base: string, bearer: string) =>
      fetch(`${base}/trpc/auth.logout`, { method: 'POST', headers: { ...json, authorization: `Bearer ${bearer}` } }).then(async (r) => [r.status, await r.json()]);
    expect(await logout(server.url, mine)).toEqual(await logout(stockUrl, theirsToken));
  });
});

// Random and adversarial requests: methods, paths (known, unknown, encoded, batched), inputs (valid,
// random JSON, broken JSON), content types, streaming headers and tokens.
const pathPart = fc.constantFrom('auth.check', 'auth.login', 'auth.logout', 'order.list', 'order.detail', 'auth', 'nope', '__proto__', 'auth%2Echeck', 'order%2Elist', '%E0', '');
const requestArbitrary = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  paths: fc.array(fc.oneof(pathPart, fc.stringMatching(/^[a-zA-Z.%0-9_-]{0,12}$/)), { minLength: 1, maxLength: 4 }),
  batch: fc.constantFrom(undefined, '1', '0', 'true'),
  input: fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
    fc
      .dictionary(
        fc.constantFrom('0', '1', '2', 'x'),
        fc.oneof(fc.constant({ limit: 2 }), fc.constant({ code: 'abc' }), fc.constant({ id: 'not-a-uuid' }), fc.jsonValue({ maxDepth: 1 })),
      )
      .map((value) => JSON.stringify(value)),
    fc.constantFrom('{broken', 'null', '[]', '""'),
  ),
  contentType: fc.constantFrom(
    undefined,
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    'multipart/form-data; boundary=x',
  ),
  streaming: fc.constantFrom(undefined, 'application/jsonl', 'application/json'),
  auth: fc.constantFrom('none', 'valid', 'junk'),
});

describe('this server vs the stock fastifyTRPCPlugin, on random requests', () => {
  it('answers every request exactly as the stock adapter does', async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (request) => {
        const query = new URLSearchParams();
        if (request.batch !== undefined) query.set('batch', request.batch);
        const hasBody = !['GET', 'HEAD'].includes(request.method);
        if (!hasBody && request.input !== undefined) query.set('input', request.input);
        const probe: Probe = {
          name: 'random',
          method: request.method,
          path: `/trpc/${request.paths.join(',')}${query.size > 0 ? `?${query}` : ''}`,
          headers: {
            ...(request.contentType ? { 'content-type': request.contentType } : {}),
            ...(request.streaming ? { 'trpc-accept': request.streaming } : {}),
            ...(request.auth === 'junk' ? { authorization: 'Bearer junk.token' } : {}),
          },
          auth: request.auth === 'valid' && request.method !== 'POST', // a POST could log the shared session out
          ...(hasBody && request.input !== undefined ? { body: request.input } : {}),
        };
        expect(await send(server.url, probe), JSON.stringify(probe)).toEqual(await send(stockUrl, probe));
      }),
      { numRuns: 150 },
    );
  });
});

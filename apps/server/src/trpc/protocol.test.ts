// The lean handler must speak exactly the stock adapter's protocol: the same requests go to both
// (over HTTP, same router, same services, same database) and must get the same status and body.
import { maxBatchSize } from '@wxtrpc/api';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStockTrpcAdapter } from '../testing/registerStockTrpcAdapter.ts';
import { startTestServer, type TestServer } from '../testing/startTestServer.ts';

let server: TestServer;
let stock: FastifyInstance;
let stockUrl: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  stock = Fastify({ logger: false, routerOptions: { maxParamLength: 5_000 } });
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
];

async function send(base: string, probe: Probe) {
  const response = await fetch(`${base}${probe.path}`, {
    method: probe.method ?? 'GET',
    headers: { ...probe.headers, ...(probe.auth ? { authorization: `Bearer ${token}` } : {}) },
    ...(probe.body !== undefined ? { body: probe.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, allow: response.headers.get('allow'), body: text === '' ? null : JSON.parse(text) };
}

describe('lean tRPC handler vs the stock fastifyTRPCPlugin', () => {
  it.each(probes.map((probe) => [probe.name, probe] as const))('%s', async (_, probe) => {
    const [ours, theirs] = [await send(server.url, probe), await send(stockUrl, probe)];
    expect(ours).toEqual(theirs);
  });

  it('a mutation that succeeds answers the same (each server logs out its own session)', async () => {
    const mine = (await server.login('protocol-out-1')).token;
    const theirsToken = (await server.login('protocol-out-2')).token;
    const logout = (base: string, bearer: string) =>
      fetch(`${base}/trpc/auth.logout`, { method: 'POST', headers: { ...json, authorization: `Bearer ${bearer}` } }).then(async (r) => [r.status, await r.json()]);
    expect(await logout(server.url, mine)).toEqual(await logout(stockUrl, theirsToken));
  });
});

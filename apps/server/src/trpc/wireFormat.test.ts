// The wire format, pinned: a fixed set of requests (plain calls on the lean handler, streamed and FormData
// calls on tRPC's adapter, errors) and their exact answers, in a committed snapshot. Upgrading @trpc/*
// (pinned to one exact version everywhere, checked below) fails here if it changes what clients receive.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createOrders } from '@wxtrpc/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/startTestServer.ts';

let server: TestServer;
let login: Awaited<ReturnType<TestServer['login']>>;
beforeAll(async () => {
  server = await startTestServer();
  login = await server.login('wire-format');
  const ids = ['0b4d7c1e-5d2f-4b1a-9f3e-2c8d6a7b9e10', '1c5e8d2f-6e3a-4c2b-8a4f-3d9e7b8c0f21', '2d6f9e3a-7f4b-4d3c-9b5a-4e0f8c9d1a32'];
  await createOrders(
    server.db,
    login.user.id,
    ids.map((id, i) => ({ id, title: `订单 ${i}`, totalFen: 1_000 + i, status: 'PAID' as const, createdAt: new Date(Date.UTC(2026, 10, 1, 8, i)) })),
    { items: () => 2 },
  );
});
afterAll(() => server.close());

const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

it('answers a fixed set of requests exactly as recorded', async () => {
  const requests: [string, RequestInit & { auth?: boolean }][] = [
    ['/trpc/auth.check', {}],
    ['/trpc/auth.check', { auth: true }],
    [`/trpc/order.list?input=${q({ limit: 2 })}`, { auth: true }],
    [`/trpc/auth.check,order.list,order.detail?batch=1&input=${q({ 1: { limit: 1, status: 'PAID' }, 2: { id: '2d6f9e3a-7f4b-4d3c-9b5a-4e0f8c9d1a32' } })}`, { auth: true }],
    [`/trpc/order.detail?input=${q({ id: 'nope' })}`, { auth: true }],
    ['/trpc/order.list', {}],
    ['/trpc/auth.login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"never-issued"}' }],
    ['/trpc/auth.logout', {}],
    ['/trpc/no.such', {}],
    // One call per streamed batch: chunk numbers follow the order calls finish in.
    [`/trpc/order.detail?batch=1&input=${q({ 0: { id: '0b4d7c1e-5d2f-4b1a-9f3e-2c8d6a7b9e10' } })}`, { auth: true, headers: { 'trpc-accept': 'application/jsonl' } }],
    [
      '/trpc/auth.login',
      { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data; name="code"\r\n\r\nabc\r\n--x--\r\n' },
    ],
  ];
  const transcript: string[] = [];
  for (const [url, { auth, ...init }] of requests) {
    const response = await fetch(`${server.url}${url}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...(auth ? { authorization: `Bearer ${login.token}` } : {}) },
    });
    const body = (await response.text())
      .replaceAll(login.user.id, '<user id>')
      .replaceAll(login.expiresAt, '<expires at>')
      .replace(/"nextCursor":"[\w-]+"/g, '"nextCursor":"<cursor>"');
    const itemIds = /"id":"[0-9a-f-]{36}","title":"订单 \d · \d"/g; // item ids are random
    transcript.push(
      `${init.method ?? 'GET'} ${url}\n${response.status} ${response.headers.get('content-type')} vary=${response.headers.get('vary')}\n${body.replace(itemIds, (m) => m.replace(/[0-9a-f-]{36}/, '<item id>'))}\n`,
    );
  }
  expect(transcript.join('\n')).toMatchSnapshot();
});

it('pins every @trpc/* dependency to one exact version across the workspaces', () => {
  const root = path.resolve(import.meta.dirname, '../../../..');
  const manifests = ['apps', 'packages'].flatMap((group) => readdirSync(path.join(root, group)).map((name) => path.join(root, group, name, 'package.json')));
  const specs = new Set<string>();
  for (const file of manifests) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const deps of [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies]) {
      for (const [name, spec] of Object.entries(deps ?? {})) if (name.startsWith('@trpc/')) specs.add(spec);
    }
  }
  expect([...specs]).toHaveLength(1);
  expect([...specs][0]).toMatch(/^\d+\.\d+\.\d+$/);
});

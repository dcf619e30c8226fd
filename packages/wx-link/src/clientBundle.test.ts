// The built client library (scripts/bundleClient.ts: minified ES2017 CommonJS with the AbortController
// shim) in a sandbox holding only one non-WeChat platform's global (`my`, then `tt`), no `wx`, against the
// real server: detection, batched authenticated calls, re-login through a pluggable exchange, abort, queueing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleClient } from '../scripts/bundleClient.ts';
import type * as WxLink from './index.ts';
import { createFakeMy } from './testing/createFakeMy.ts';
import type { FakeDevice, FakeDeviceOptions } from './testing/createFakeDevice.ts';
import { runInMiniprogramSandbox } from './testing/runInMiniprogramSandbox.ts';
import { createFakeTt, createFakeUni, createWxShapedFake } from './testing/wxShapedFakes.ts';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'wx-link-bundle-'));
  await writeFile(path.join(dir, 'client.js'), (await bundleClient()).code);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await server.close();
});

const absentInTheRuntime = ['wx', 'fetch', 'XMLHttpRequest', 'URL', 'AbortController', 'TextDecoder', 'process', 'Buffer', 'require', 'window'];
const fault = (body: object) => server.emulatorPost('/emulator/faults', body);

/** The library as the sandbox loaded it (its classes and objects belong to the sandbox). */
const load = (globals: Record<string, object>) => runInMiniprogramSandbox(dir, globals).require('client.js') as typeof WxLink;

describe.each([
  { name: 'my', createFake: createFakeMy },
  { name: 'tt', createFake: createFakeTt },
] satisfies { name: string; createFake: (options: FakeDeviceOptions) => FakeDevice }[])('the built client in a sandbox holding only `$name`', ({ name, createFake }) => {
  const boot = (user: string) => {
    const fake = createFake({ emulatorUrl: server.emulator.url, user });
    const sandbox = runInMiniprogramSandbox(dir, { [name]: fake });
    const lib = sandbox.require('client.js') as typeof WxLink;
    const exchanged: string[] = [];
    // The platform's own code exchange is the app's (later) work: the test plugs in one that asks the server.
    const api = lib.createWxClient({
      url: `${server.url}/trpc`,
      platform: lib.detectPlatform(),
      exchangeCode: async ({ code }) => {
        exchanged.push(code);
        return server.login(user);
      },
    });
    return { fake, sandbox, lib, api, exchanged };
  };

  it(`detects ${name}; the sandbox has none of the globals the runtime lacks`, () => {
    const { sandbox, api } = boot(`${name}-bundle-detect`);
    for (const global of absentInTheRuntime) expect(sandbox.evaluate(`typeof ${global}`), global).toBe('undefined');
    expect(api.platform.name).toBe(name);
  });

  it('makes batched calls with a token the test obtained from the server', async () => {
    const { fake, api } = boot(`${name}-bundle-batch`);
    const stored = await server.login(`${name}-bundle-batch`);
    api.session.set(stored);
    expect(fake.storage.get('session')).toEqual(stored); // through the platform's own storage API
    const results = await Promise.all([api.client.auth.check.query(), api.client.order.list.query({ limit: 2 }), api.client.auth.check.query()]);
    expect(results).toEqual([
      { valid: true, expiresAt: stored.expiresAt },
      { items: [], nextCursor: null },
      { valid: true, expiresAt: stored.expiresAt },
    ]);
    expect(fake.stats.requests).toBe(1);
    expect(fake.stats.logins).toBe(0);
  });

  it('handles a 401 with one login through the pluggable exchange, then replays the calls', async () => {
    const { fake, api, exchanged } = boot(`${name}-bundle-relogin`);
    const first = await server.login(`${name}-bundle-relogin`);
    api.session.set(first);
    server.advance(31 * 24 * 3_600_000);
    try {
      const pages = await Promise.all([api.client.order.list.query({ limit: 1 }), api.client.order.list.query({ limit: 2 })]);
      expect(pages).toEqual([
        { items: [], nextCursor: null },
        { items: [], nextCursor: null },
      ]);
      expect(fake.stats.logins).toBe(1); // the platform's login (my.getAuthCode / tt.login), once
      expect(exchanged).toHaveLength(1);
      expect(api.session.get()!.token).not.toBe(first.token);
    } finally {
      server.advance(-31 * 24 * 3_600_000);
    }
  });

  it('aborts with the bundled AbortController (the shim: the sandbox has none)', async () => {
    const { fake, lib, api } = boot(`${name}-bundle-abort`);
    await fault({ kind: 'latency', latencyMs: 2_000, count: 1 });
    try {
      const controller = new lib.AbortController();
      const call = api.client.auth.login.mutate({ code: await server.mint(`${name}-bundle-abort`) }, { signal: controller.signal });
      await new Promise((r) => setTimeout(r, 50));
      expect(fake.stats.inFlight).toBe(1);
      controller.abort();
      const error = (await call.catch((e: unknown) => e)) as { cause?: { name: string } };
      expect(error.cause?.name).toBe('AbortError');
      expect(fake.stats.inFlight).toBe(0);
    } finally {
      await fetch(`${server.emulator.url}/emulator/faults`, { method: 'DELETE' });
    }
  });

  it('queues past the limit of 10 tasks: none is refused, all complete', async () => {
    const { fake, api } = boot(`${name}-bundle-queue`);
    await fault({ kind: 'latency', latencyMs: 300, count: 15 });
    try {
      const codes = await Promise.all(Array.from({ length: 15 }, () => server.mint(`${name}-bundle-queue`)));
      const calls = [];
      for (const code of codes) {
        calls.push(api.client.auth.login.mutate({ code })); // one HTTP request each: batches are cut per macrotask
        await new Promise((r) => setTimeout(r, 2));
      }
      const results = await Promise.all(calls);
      expect(results.every((r) => r.token.length > 0)).toBe(true);
      expect(fake.stats.requests).toBe(15);
      expect(fake.stats.maxInFlight).toBe(10);
      expect(fake.stats.refused).toBe(0);
    } finally {
      await fetch(`${server.emulator.url}/emulator/faults`, { method: 'DELETE' });
    }
  });
});

describe('platform detection in the built client', () => {
  const fake = (create: (options: FakeDeviceOptions) => object) => create({ emulatorUrl: 'http://127.0.0.1:9' });

  it('prefers uni to wx (uni-app on WeChat has both) and qq to wx; fails clearly with none', () => {
    expect(load({ uni: fake(createFakeUni), wx: fake(createWxShapedFake) }).detectPlatform().name).toBe('uni');
    expect(load({ qq: fake(createWxShapedFake), wx: fake(createWxShapedFake) }).detectPlatform().name).toBe('qq');
    expect(load({ wx: fake(createWxShapedFake) }).detectPlatform().name).toBe('wx');
    expect(() => load({}).detectPlatform()).toThrow(/No mini-program platform found/);
  });

  it('lets a named platform win over what the globals say', () => {
    const lib = load({ uni: fake(createFakeUni), wx: fake(createWxShapedFake) });
    const wx = fake(createWxShapedFake) as WxLink.WxLike;
    expect(lib.createWxClient({ url: 'http://127.0.0.1:9/trpc', platform: lib.fromWx(wx) }).platform.name).toBe('wx');
  });
});

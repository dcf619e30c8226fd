// The built bundle, as it ships, in a context holding only what the mini-program runtime has.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { createFakeWx, runInMiniprogramSandbox, type FakeWx } from '@wxtrpc/wx-link/testing';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distDir, insertOrders, waitFor } from './testing/miniprogramTesting.ts';

let server: TestServer;
let dir: string;
let png: string;
const pngBytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'sandbox-avatar-'));
  png = path.join(dir, 'tmp_avatar.png');
  await writeFile(png, pngBytes);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await server.close();
});

const absentInTheRuntime = [
  'fetch',
  'XMLHttpRequest',
  'URL',
  'URLSearchParams',
  'AbortController',
  'AbortSignal',
  'TextDecoder',
  'TextEncoder',
  'process',
  'Buffer',
  'require',
  'module',
  'setImmediate',
  'structuredClone',
  'window',
  'document',
];

function boot(user: string): { sandbox: ReturnType<typeof runInMiniprogramSandbox>; wx: FakeWx } {
  const wx = createFakeWx({ emulatorUrl: server.emulator.url, user });
  const sandbox = runInMiniprogramSandbox(distDir, { wx });
  sandbox.require('config.js').config.apiUrl = `${server.url}/trpc`;
  return { sandbox, wx };
}

/** A minimal component instance: data plus setData/triggerEvent, like the runtime gives a page. */
function instantiate(definition: Record<string, any>) {
  const instance: Record<string, any> = { data: structuredClone(definition.data ?? {}), events: [] as unknown[] };
  instance.setData = (patch: object) => Object.assign(instance.data, patch);
  instance.triggerEvent = (name: string, detail: unknown) => instance.events.push({ name, detail });
  for (const [name, method] of Object.entries(definition.methods ?? {})) instance[name] = (method as (...args: unknown[]) => unknown).bind(instance);
  return instance;
}

describe('the built mini-program in a runtime-like sandbox', () => {
  it('has none of the globals the mini-program runtime lacks (negative control)', () => {
    const { sandbox } = boot('alice');
    for (const name of absentInTheRuntime) expect(sandbox.evaluate(`typeof ${name}`), name).toBe('undefined');
    expect(() => sandbox.require('../node_modules/@trpc/client/package.json')).toThrow();
  });

  it('fails without the AbortController shim: stock tRPC client code needs one (negative control)', async () => {
    const stock = await build({
      stdin: {
        contents: `
          const { createTRPCClient, httpLink } = require('@trpc/client');
          module.exports = createTRPCClient({ links: [httpLink({ url: 'http://127.0.0.1:9/trpc', fetch: () => new Promise(() => {}) })] });`,
        resolveDir: path.resolve(import.meta.dirname, '..'),
      },
      bundle: true,
      format: 'cjs',
      platform: 'browser',
      target: 'es2017',
      write: false,
    });
    const { sandbox } = boot('alice');
    const run = sandbox.evaluate(`(function (module) { ${stock.outputFiles[0]!.text}\n; return module.exports; })({ exports: {} })`) as {
      auth: { check: { query(): Promise<unknown> } };
    };
    await expect(run.auth.check.query()).rejects.toThrow(/AbortController is not defined/);
  });

  it('launches (auth.check clears a session the server does not know), logs in and lists orders', async () => {
    const { sandbox, wx } = boot('sandbox-user');
    wx.setStorageSync('session', { token: `${'a'.repeat(20)}.${'b'.repeat(43)}`, expiresAt: '2099-01-01T00:00:00.000Z', user: { id: 'x', nickName: null, avatarUrl: null } });
    sandbox.require('app.js');
    sandbox.definitions.get('app.js')!.onLaunch();
    await waitFor(() => wx.getStorageSync('session') === '', 'the stale session to be cleared');

    sandbox.require('components/login/login.js');
    const login = instantiate(sandbox.definitions.get('components/login/login.js')!);
    login.show();
    await login.onLoginTap();
    expect(login.events).toEqual([{ name: 'login', detail: { status: 1, user: expect.objectContaining({ nickName: null }) } }]);
    const session = wx.getStorageSync('session') as { user: { id: string } };
    await insertOrders(server, session.user.id, 12);

    sandbox.require('pages/orders/orders.js');
    const orders = instantiate(sandbox.definitions.get('pages/orders/orders.js')!);
    orders.onLoad();
    await waitFor(() => orders.data.phase === 'ready', 'the first page');
    expect(orders.data.items).toHaveLength(10);
    expect(orders.data.items[0]).toMatchObject({ title: '商品 0', price: '¥1,234.56', statusText: '待付款' });
    orders.onReachBottom();
    await waitFor(() => orders.data.items.length === 12 && orders.data.done, 'the last page');
  });

  it("opens a tapped order's detail page, which loads the order with its items", async () => {
    const { sandbox, wx } = boot('sandbox-detail');
    const session = await sandbox.require('lib/api.js').getApi().login();
    // 123456 fen over 3 items: 41152 each, sold as 2 × 20576.
    const [order] = await insertOrders(server, session.user.id, 1, { items: () => 3 });

    sandbox.require('pages/orders/orders.js');
    const orders = instantiate(sandbox.definitions.get('pages/orders/orders.js')!);
    orders.open({ currentTarget: { dataset: { id: order!.id } } });
    const [navigation] = wx.ui.filter((call) => call.api === 'navigateTo') as { options: { url: string } }[];
    const [, route, id] = /^\/(pages\/[\w/]+)\?id=(.+)$/.exec(navigation!.options.url)!;
    expect(id).toBe(order!.id);

    sandbox.require(`${route}.js`);
    const detail = instantiate(sandbox.definitions.get(`${route}.js`)!);
    detail.onLoad({ id });
    await waitFor(() => detail.data.phase === 'ready', 'the order');
    expect(detail.data.order).toMatchObject({ title: '商品 0', statusText: '待付款', total: '¥1,234.56' });
    expect(detail.data.order.items).toHaveLength(3);
    for (const item of detail.data.order.items) expect(item).toMatchObject({ unitPrice: '¥205.76', quantity: 2, amount: '¥411.52' });
  });

  it('binds the phone, uploads an avatar and sets the nickname from the my page (no URL global for the upload address)', async () => {
    const { sandbox, wx } = boot('sandbox-account');
    const session = await sandbox.require('lib/api.js').getApi().login();
    sandbox.require('pages/my/my.js');
    const my = instantiate(sandbox.definitions.get('pages/my/my.js')!);
    await my.refreshUser();
    expect(my.data.user).toMatchObject({ id: session.user.id, phone: null });

    const { code } = (await server.emulatorPost('/emulator/phone-code', { user: 'sandbox-account' })) as { code: string };
    await my.onGetPhoneNumber({ detail: { errMsg: 'getPhoneNumber:ok', code } });
    await my.onChooseAvatar({ detail: { avatarUrl: png } });
    await my.onNickname({ detail: { value: '沙盒用户' } });
    expect(wx.ui.filter((call) => call.api === 'showToast').map((call) => (call.options as { title: string }).title)).toEqual(['已绑定', '头像已更新', '昵称已更新']);
    expect(wx.stats.uploads).toBe(1);

    const account = await server.client(session.token).account.me.query();
    const { phoneNumber, avatarId } = await server.db.user.findUniqueOrThrow({ where: { id: session.user.id }, select: { phoneNumber: true, avatarId: true } });
    expect(account).toEqual({
      id: session.user.id,
      nickName: '沙盒用户',
      avatarUrl: `${server.url}/avatars/${avatarId}`,
      phone: `${phoneNumber!.slice(0, 3)}****${phoneNumber!.slice(-4)}`,
      phoneCountryCode: '86',
    });
    expect(Buffer.from(await (await fetch(account.avatarUrl!)).arrayBuffer())).toEqual(pngBytes);
    expect(my.data.user).toEqual({ id: account.id, nickName: account.nickName, avatarUrl: account.avatarUrl, phone: account.phone });
    expect(JSON.stringify(my.data)).not.toContain(phoneNumber);
  });

  it('logs in again by itself when the server has expired the session, then lists orders', async () => {
    const { sandbox, wx } = boot('sandbox-relogin');
    const api = sandbox.require('lib/api.js').getApi();
    await api.login();
    const first = wx.getStorageSync('session') as { token: string };
    server.advance(31 * 24 * 3_600_000);
    try {
      const page = await api.client.order.list.query({ limit: 5 });
      expect(page).toEqual({ items: [], nextCursor: null });
      expect(wx.stats.logins).toBe(2);
      expect((wx.getStorageSync('session') as { token: string }).token).not.toBe(first.token);
    } finally {
      server.advance(-31 * 24 * 3_600_000);
    }
  });
});

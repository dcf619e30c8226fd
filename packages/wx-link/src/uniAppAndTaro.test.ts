// The README's uni-app and Taro examples (examples/*.ts), run as written: apps compiled for WeChat whose
// `uni` global and '@tarojs/taro' import are fakes speaking to the real server. They log in with
// uni.login / Taro.login (wx.login underneath) → auth.login, page through orders and upload an avatar.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOrders, orderStatuses } from '@wxtrpc/db';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as taroApp from '../examples/taro.ts';
import * as uniApp from '../examples/uniApp.ts';
import { createFakeTaro } from './testing/createFakeTaro.ts';
import type { FakeDevice } from './testing/createFakeDevice.ts';
import { createFakeUni } from './testing/wxShapedFakes.ts';

// What `import Taro from '@tarojs/taro'` gives the example: filled with a fake Taro in each test.
const taro = vi.hoisted(() => ({}) as Record<string, unknown>);
vi.mock('@tarojs/taro', () => ({ default: taro }));

let server: TestServer;
let dir: string;
let png: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'wx-link-frameworks-'));
  png = path.join(dir, 'avatar.png');
  await writeFile(png, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 3)]));
});
afterAll(async () => {
  delete (globalThis as { uni?: unknown }).uni;
  await rm(dir, { recursive: true, force: true });
  await server.close();
});

/** A WeChat user with 12 orders, newest first. */
async function userWithOrders(name: string) {
  const { user } = await server.login(name);
  const now = Date.now();
  await createOrders(
    server.db,
    user.id,
    Array.from({ length: 12 }, (_, i) => ({ title: `商品 ${i}`, status: orderStatuses[0]!, createdAt: new Date(now - i * 60_000) })),
  );
  return user;
}

describe.each([
  { name: 'uni-app', app: uniApp, createFake: createFakeUni, install: (fake: FakeDevice) => void ((globalThis as { uni?: unknown }).uni = fake) },
  { name: 'Taro', app: taroApp, createFake: createFakeTaro, install: (fake: FakeDevice) => void Object.assign(taro, fake) },
])('a $name app on WeChat', ({ name, app, install, createFake }) => {
  it('logs in with its login API, keeps the session in its storage and pages through orders', async () => {
    const user = await userWithOrders(`${name}-orders`);
    const fake = createFake({ emulatorUrl: server.emulator.url, user: `${name}-orders` });
    install(fake);
    const api = app.createApi(`${server.url}/trpc`);
    await expect(app.onLaunch(api)).resolves.toBe(false); // nothing stored yet: no request

    const first = await app.nextOrders(api);
    expect(fake.stats.logins).toBe(1);
    expect(fake.storage.get('session')).toMatchObject({ token: expect.any(String), user: { id: user.id } });
    expect(first.items.map((order) => order.title)).toEqual(Array.from({ length: 10 }, (_, i) => `商品 ${i}`));
    const second = await app.nextOrders(api, first.nextCursor);
    expect(second).toMatchObject({ items: [{ title: '商品 10' }, { title: '商品 11' }], nextCursor: null });
    expect(fake.stats.logins).toBe(1);

    await expect(app.onLaunch(app.createApi(`${server.url}/trpc`))).resolves.toBe(true); // the next launch finds the session
    expect(fake.stats.requests).toBe(4); // auth.login, two pages, auth.check
  });

  it('uploads an avatar through its uploadFile with the session’s header', async () => {
    const fake = createFake({ emulatorUrl: server.emulator.url, user: `${name}-avatar` });
    install(fake);
    const api = app.createApi(`${server.url}/trpc`);
    await api.login();
    await expect(app.uploadAvatar(api, server.url, png)).resolves.toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(fake.stats.uploads).toBe(1);
  });
});

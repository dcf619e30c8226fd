// @vitest-environment jsdom
// The "My" page and the login component, built (dist/), rendered by miniprogram-simulate, talking to the real server.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FakeWx } from '@wxtrpc/wx-link/testing';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { distDir, installFakeWx, restoreNodeArrayBuffers, waitFor } from '../../testing/miniprogramTesting.ts';

const require = createRequire(import.meta.url);
const simulate = require('miniprogram-simulate');

let server: TestServer;
let wx: FakeWx;

beforeAll(async () => {
  restoreNodeArrayBuffers();
  server = await startTestServer();
  wx = installFakeWx(server, 'mia');
});
beforeEach(() => {
  wx.storage.clear();
  wx.ui.length = 0;
  // Counters are per test: the failed-login test calls wx.login too. inFlight is live state, left alone.
  Object.assign(wx.stats, { requests: 0, logins: 0, refused: 0, maxInFlight: wx.stats.inFlight });
});
afterAll(() => server.close());

function renderMyPage() {
  const page = simulate.render(simulate.load(path.join(distDir, 'pages/my/my'), { rootPath: distDir }));
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onShow();
  return page;
}
const text = (page: any, selector: string) => page.querySelector(selector)?.dom.textContent as string | undefined;
const loginDialogShown = (page: any) => page.querySelector('#login').querySelector('.dialog') !== undefined;

describe('my page', () => {
  it('shows 未登录 and opens the login dialog instead of the orders when logged out', async () => {
    const page = renderMyPage();
    expect(text(page, '.nickname')).toBe('未登录');
    expect(loginDialogShown(page)).toBe(false);
    page.querySelector('.orderTitle').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(loginDialogShown(page)).toBe(true);
    expect(wx.ui.filter((call) => call.api === 'navigateTo')).toEqual([]);
  });

  it('logs in through the dialog (wx.login → auth.login), then shows the user and opens the orders', async () => {
    const page = renderMyPage();
    const events: unknown[] = [];
    page.querySelector('#login').addEventListener('login', (event: { detail: unknown }) => events.push(event.detail));
    page.querySelector('.orderTitle').dispatchEvent('tap');
    await simulate.sleep(0);
    page.querySelector('#login').querySelector('.confirm').dispatchEvent('tap');

    await waitFor(() => events.length > 0, 'the login event');
    expect(events[0]).toMatchObject({ status: 1 });
    expect(wx.stats.logins).toBe(1);
    const stored = wx.getStorageSync('session') as { token: string };
    expect(stored.token).toMatch(/^[\w-]{20}\.[\w-]{43}$/);
    await expect(fetch(`${server.url}/trpc/auth.check`, { headers: { authorization: `Bearer ${stored.token}` } }).then((r) => r.json())).resolves.toMatchObject({
      result: { data: { valid: true } },
    });
    expect(wx.ui).toContainEqual({ api: 'showToast', options: { title: '登录成功', icon: 'success' } });
    await simulate.sleep(0);
    expect(text(page, '.nickname')).toBe('微信用户');
    expect(loginDialogShown(page)).toBe(false);

    page.querySelector('.orderTitle').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(wx.ui).toContainEqual({ api: 'navigateTo', options: { url: '/pages/orders/orders' } });
  });

  it('reports a failed login with status 0 and stays logged out', async () => {
    wx.user = 'blocked-user';
    await fetch(`${server.emulator.url}/emulator/users/blocked-user`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"blocked":true}',
    });
    try {
      const page = renderMyPage();
      const events: unknown[] = [];
      page.querySelector('#login').addEventListener('login', (event: { detail: unknown }) => events.push(event.detail));
      page.querySelector('#login').instance.show();
      await simulate.sleep(0);
      page.querySelector('#login').querySelector('.confirm').dispatchEvent('tap');
      await waitFor(() => events.length > 0, 'the login event');
      expect(events[0]).toEqual({ status: 0 });
      expect(wx.ui).toContainEqual({ api: 'showToast', options: { title: '登录失败', icon: 'error' } });
      expect(wx.getStorageSync('session')).toBe('');
      expect(text(page, '.nickname')).toBe('未登录');
    } finally {
      wx.user = 'mia';
    }
  });
});

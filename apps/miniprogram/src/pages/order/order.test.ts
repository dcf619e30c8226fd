// @vitest-environment jsdom
// The order detail page, built (dist/), rendered by miniprogram-simulate, loading from the real server.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FakeWx } from '@wxtrpc/wx-link/testing';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../lib/format.ts';
import { distDir, insertOrders, installFakeWx, waitFor } from '../../testing/miniprogramTesting.ts';

const require = createRequire(import.meta.url);
const simulate = require('miniprogram-simulate');

let server: TestServer;
let wx: FakeWx;

beforeAll(async () => {
  server = await startTestServer();
  wx = installFakeWx(server, 'dora');
});
afterAll(() => server.close());

/** Logs `user` in the way the app does (stored session; wx.login plays the same user for a re-login). */
async function logIn(user: string) {
  wx.user = user;
  const session = await server.login(user);
  wx.setStorageSync('session', session);
  return session.user.id;
}

/** Renders the page as wx.navigateTo('/pages/order/order?id=…') opens it. */
function openOrder(id: string) {
  const page = simulate.render(simulate.load(path.join(distDir, 'pages/order/order'), { rootPath: distDir }));
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onLoad({ id });
  return page;
}
const text = (node: any) => node?.dom.textContent.replace(/\s+/g, ' ').trim() as string | undefined;
const ready = (page: any) => page.instance.data.phase === 'ready' && !page.instance.data.loading;
/** Each rendered item as [title, unit price, quantity, line amount], by title (the server orders items by id). */
function renderedItems(page: any) {
  const [titles, unitPrices, quantities, amounts] = ['.itemTitle', '.unitPrice', '.quantity', '.amount'].map((selector) =>
    (page.querySelectorAll(selector) as any[]).map(text),
  ) as string[][];
  expect(page.querySelectorAll('.item')).toHaveLength(titles!.length);
  return titles!.map((title, i) => [title, unitPrices![i], quantities![i], amounts![i]]).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe('order detail page', () => {
  it("shows the order's status, time, every item with unit price, quantity and line amount, and the total", async () => {
    const userId = await logIn('dora');
    // 商品 1 costs 123457 fen over 3 items: 41152 + 41152 (each sold as 2 × 20576) + 41153 (1 unit).
    const [, order] = await insertOrders(server, userId, 2, { items: () => 3 });
    const page = openOrder(order!.id);
    expect(text(page.querySelector('.state'))).toBe('加载中…');
    await waitFor(() => ready(page), 'the order');

    expect(text(page.querySelector('.orderTitle'))).toBe('商品 1');
    expect(text(page.querySelector('.status'))).toBe('已付款');
    expect(text(page.querySelector('.sub'))).toBe(`下单时间 ${formatTime(order!.createdAt.toISOString())}`);
    expect(renderedItems(page)).toEqual([
      ['商品 1 · 1', '¥205.76', '×2', '¥411.52'],
      ['商品 1 · 2', '¥205.76', '×2', '¥411.52'],
      ['商品 1 · 3', '¥411.53', '×1', '¥411.53'],
    ]);
    expect(text(page.querySelector('.total'))).toBe('¥1,234.57');
  });

  it.each([
    ['an unknown id', async () => randomUUID()],
    ["another user's order", async () => (await insertOrders(server, (await server.login('someone-else')).user.id, 1))[0]!.id],
    ['an id that is no UUID', async () => 'not-a-uuid'],
  ])('shows 订单不存在 for %s', async (_name, id) => {
    await logIn('erin');
    const page = openOrder(await id());
    await waitFor(() => page.querySelector('.notFound'), 'the not-found state');
    expect(text(page.querySelector('.notFound'))).toBe('订单不存在');
    expect(page.querySelector('.item')).toBeUndefined();
  });

  it('shows an error with a retry button when offline, and recovers on retry', async () => {
    const userId = await logIn('fay');
    const [order] = await insertOrders(server, userId, 1, { items: () => 2 });
    wx.online = false;
    try {
      const page = openOrder(order!.id);
      await waitFor(() => page.querySelector('.error'), 'the error state');
      expect(text(page.querySelector('.errorText'))).toBe('加载失败，请检查网络后重试');
      wx.online = true;
      page.querySelector('.retry').dispatchEvent('tap');
      await waitFor(() => ready(page), 'the order after retry');
      expect(page.querySelectorAll('.item')).toHaveLength(2);
    } finally {
      wx.online = true;
    }
  });

  it('reloads on pull-down and stops the refresh animation', async () => {
    const userId = await logIn('gus');
    const [order] = await insertOrders(server, userId, 1);
    const page = openOrder(order!.id);
    await waitFor(() => ready(page), 'the order');
    expect(text(page.querySelector('.status'))).toBe('待付款');
    await server.db.order.update({ where: { id: order!.id }, data: { status: 'SHIPPED' } });
    wx.ui.length = 0;
    await page.instance.onPullDownRefresh();
    await simulate.sleep(0);
    expect(text(page.querySelector('.status'))).toBe('已发货');
    expect(wx.ui).toEqual([{ api: 'stopPullDownRefresh', options: undefined }]);
  });

  it('keeps the order on screen when a refresh fails, and says so', async () => {
    const userId = await logIn('ida');
    const [order] = await insertOrders(server, userId, 1);
    const page = openOrder(order!.id);
    await waitFor(() => ready(page), 'the order');
    wx.ui.length = 0;
    wx.online = false;
    try {
      await page.instance.onPullDownRefresh();
    } finally {
      wx.online = true;
    }
    await simulate.sleep(0);
    expect(text(page.querySelector('.orderTitle'))).toBe('商品 0');
    expect(page.querySelector('.error')).toBeUndefined();
    expect(wx.ui).toEqual([
      { api: 'showToast', options: { title: '刷新失败', icon: 'error' } },
      { api: 'stopPullDownRefresh', options: undefined },
    ]);
  });

  it('logs in again by itself when the server has expired the session (the link), then shows the order', async () => {
    const userId = await logIn('hana');
    const [order] = await insertOrders(server, userId, 1);
    const logins = wx.stats.logins;
    server.advance(31 * 24 * 3_600_000);
    try {
      const page = openOrder(order!.id);
      await waitFor(() => ready(page), 'the order after the re-login');
      expect(text(page.querySelector('.orderTitle'))).toBe('商品 0');
      expect(wx.stats.logins).toBe(logins + 1);
    } finally {
      server.advance(-31 * 24 * 3_600_000);
    }
  });
});

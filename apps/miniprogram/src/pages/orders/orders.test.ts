// @vitest-environment jsdom
// The orders page, built (dist/), rendered by miniprogram-simulate, paging through the real server.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FakeWx } from '@wxtrpc/wx-link/testing';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distDir, insertOrders, installFakeWx, restoreNodeArrayBuffers, waitFor } from '../../testing/miniprogramTesting.ts';

const require = createRequire(import.meta.url);
const simulate = require('miniprogram-simulate');

let server: TestServer;
let wx: FakeWx;

beforeAll(async () => {
  restoreNodeArrayBuffers();
  server = await startTestServer();
  wx = installFakeWx(server, 'olga');
});
afterAll(() => server.close());

/** Logs `user` in the way the app does (stored session), gives them `count` orders and renders the page. */
async function openOrdersAs(user: string, count: number) {
  const session = await server.login(user);
  const orders = await insertOrders(server, session.user.id, count);
  wx.setStorageSync('session', session);
  const page = simulate.render(simulate.load(path.join(distDir, 'pages/orders/orders'), { rootPath: distDir }));
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onLoad();
  return Object.assign(page, { orders });
}
const cards = (page: any) => page.querySelectorAll('.orderCard') as any[];
const footer = (page: any) => page.querySelector('.footer')?.dom.textContent.trim();
const settled = (page: any) => !page.instance.data.loadingMore && page.instance.data.phase !== 'loading';

describe('orders page', () => {
  it('shows the first page, loads more at the bottom, and says when there is no more', async () => {
    const page = await openOrdersAs('olga', 25);
    await waitFor(() => cards(page).length === 10, 'the first page');
    const first = cards(page)[0].dom.textContent;
    expect(first).toContain('商品 0');
    expect(first).toContain('¥1,234.56'); // 123456 fen
    expect(first).toContain('待付款');
    expect(cards(page)[1].dom.textContent).toContain('已付款');

    page.instance.onReachBottom();
    await waitFor(() => cards(page).length === 20 && settled(page), 'the second page');
    page.instance.onReachBottom();
    await waitFor(() => cards(page).length === 25 && settled(page), 'the last page');
    expect(footer(page)).toBe('没有更多了');
    const titles = cards(page).map((card) => /商品 \d+/.exec(card.dom.textContent)![0]);
    expect(new Set(titles).size).toBe(25);
    expect(titles[24]).toBe('商品 24');
  });

  it('refreshes on pull-down, back to the newest page, and stops the refresh animation', async () => {
    const page = await openOrdersAs('pete', 15);
    await waitFor(() => cards(page).length === 10, 'the first page');
    page.instance.onReachBottom();
    await waitFor(() => cards(page).length === 15 && settled(page), 'everything');
    wx.ui.length = 0;
    await page.instance.onPullDownRefresh();
    expect(cards(page)).toHaveLength(10);
    expect(wx.ui).toContainEqual({ api: 'stopPullDownRefresh', options: undefined });
  });

  it('opens the tapped order in the detail page', async () => {
    const page = await openOrdersAs('tess', 3);
    await waitFor(() => cards(page).length === 3, 'the orders');
    wx.ui.length = 0;
    cards(page)[1].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(wx.ui).toEqual([{ api: 'navigateTo', options: { url: `/pages/order/order?id=${page.orders[1]!.id}` } }]);
  });

  it('shows an empty state for a user without orders', async () => {
    const page = await openOrdersAs('quinn', 0);
    await waitFor(() => page.querySelector('.empty'), 'the empty state');
    expect(page.querySelector('.empty').dom.textContent).toBe('还没有订单');
  });

  it('shows an error with a retry button when offline, and recovers on retry', async () => {
    wx.online = false;
    const page = await openOrdersAs('rita', 3);
    await waitFor(() => page.querySelector('.error'), 'the error state');
    expect(page.querySelector('.errorText').dom.textContent).toBe('加载失败，请检查网络后重试');
    wx.online = true;
    page.querySelector('.retry').dispatchEvent('tap');
    await waitFor(() => cards(page).length === 3, 'the orders after retry');
  });

  it('keeps what it has when loading more fails, and retries from the footer', async () => {
    const page = await openOrdersAs('sam', 12);
    await waitFor(() => cards(page).length === 10, 'the first page');
    wx.online = false;
    page.instance.onReachBottom();
    await waitFor(() => footer(page) === '加载失败，点击重试', 'the footer error');
    expect(cards(page)).toHaveLength(10);
    wx.online = true;
    page.querySelector('.retryMore').dispatchEvent('tap');
    await waitFor(() => cards(page).length === 12 && settled(page), 'the rest');
    expect(footer(page)).toBe('没有更多了');
  });
});

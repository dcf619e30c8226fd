// @vitest-environment jsdom
// The "My" page and the login component, built (dist/), rendered by miniprogram-simulate, talking to the real server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeWx } from '@wxtrpc/wx-link/testing';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { distDir, installFakeWx, restoreNodeArrayBuffers, waitFor } from '../../testing/miniprogramTesting.ts';

const require = createRequire(import.meta.url);
const simulate = require('miniprogram-simulate');

let server: TestServer;
let wx: FakeWx;
let dir: string;
let png: string;
let gif: string;
const pngBytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);

beforeAll(async () => {
  restoreNodeArrayBuffers();
  server = await startTestServer();
  wx = installFakeWx(server, 'mia');
  // chooseAvatar hands the page a temp file path; the fake's uploadFile reads it from disk.
  dir = await mkdtemp(path.join(tmpdir(), 'my-page-avatar-'));
  png = path.join(dir, 'tmp_avatar.png');
  gif = path.join(dir, 'tmp_avatar.gif');
  await writeFile(png, pngBytes);
  await writeFile(gif, 'GIF89a....');
});
beforeEach(() => {
  wx.storage.clear();
  wx.ui.length = 0;
  wx.user = 'mia';
  // Counters are per test: the failed-login test calls wx.login too. inFlight is live state, left alone.
  Object.assign(wx.stats, { requests: 0, logins: 0, refused: 0, maxInFlight: wx.stats.inFlight });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await server.close();
});

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

/** A user logged in over HTTP whose session the page finds in storage, as after an earlier launch. */
async function loggedIn(user: string) {
  wx.user = user;
  const session = await server.login(user);
  wx.setStorageSync('session', session);
  return session;
}
/** Renders the page logged in and waits for its account.me. */
async function renderLoggedIn() {
  const page = renderMyPage();
  await waitFor(() => wx.stats.requests >= 1 && wx.stats.inFlight === 0, 'account.me');
  await simulate.sleep(10);
  return page;
}
const me = (token: string) => server.client(token).account.me.query();
const phoneCode = async (user: string) => ((await server.emulatorPost('/emulator/phone-code', { user })) as { code: string }).code;
const toasts = () => wx.ui.filter((call) => call.api === 'showToast').map((call) => call.options);
/** Resolves once the page has shown a toast (every account change ends with one). */
const toastShown = () => waitFor(() => toasts().length > 0, 'a toast');

describe('my page account', () => {
  it('shows the stored user at once, then the account from account.me with the phone masked', async () => {
    const session = await loggedIn('acct-show');
    await server.db.user.update({ where: { id: session.user.id }, data: { nickName: '服务器上的名字', phoneNumber: '13812345678', phoneCountryCode: '86' } });
    wx.setStorageSync('session', { ...session, user: { ...session.user, nickName: '存着的名字' } });
    const page = renderMyPage();
    expect(text(page, '.nickname')).toBe('存着的名字');
    await waitFor(() => text(page, '.nickname') === '服务器上的名字', 'account.me');
    expect(text(page, '.phone')).toBe('138****5678');
    expect(JSON.stringify(page.instance.data)).not.toContain('13812345678');
    expect(text(page, '.bindPhone')).toBe('更换手机号');
    // The stored session follows, for the next launch.
    expect((wx.getStorageSync('session') as { user: { nickName: string } }).user.nickName).toBe('服务器上的名字');
  });

  it('hides the account controls when logged out; the avatar opens the login dialog', async () => {
    const page = renderMyPage();
    expect(page.querySelector('.bindPhone')).toBeUndefined();
    expect(page.querySelector('.nicknameInput')).toBeUndefined();
    expect(page.querySelector('.avatarButton')).toBeUndefined();
    page.querySelector('.avatarEmpty').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(loginDialogShown(page)).toBe(true);
    expect(wx.stats.requests).toBe(0);
  });

  it('binds the phone number with the getPhoneNumber code and shows it masked, never in full', async () => {
    const { token, user } = await loggedIn('acct-phone');
    const page = await renderLoggedIn();
    expect(page.querySelector('.phone')).toBeUndefined();
    expect(text(page, '.bindPhone')).toBe('绑定手机号');

    page.querySelector('.bindPhone').dispatchEvent('getphonenumber', { detail: { errMsg: 'getPhoneNumber:ok', code: await phoneCode('acct-phone') } });
    await toastShown();
    expect(toasts()).toEqual([{ title: '已绑定', icon: 'success' }]);
    const account = await me(token);
    expect(account.phone).toMatch(/^138\*{4}\d{4}$/);
    const { phoneNumber } = await server.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { phoneNumber: true } });
    expect(phoneNumber).toMatch(/^138\d{8}$/);
    await simulate.sleep(0);
    expect(text(page, '.phone')).toBe(account.phone);
    expect(page.instance.data.user.phone).toBe(account.phone);
    expect(JSON.stringify(page.instance.data)).not.toContain(phoneNumber);
    expect(page.dom.textContent).not.toContain(phoneNumber);
  });

  it('sends nothing when the user refuses the phone number', async () => {
    const { token } = await loggedIn('acct-deny');
    const page = await renderLoggedIn();
    const requests = wx.stats.requests;
    for (const detail of [
      { errMsg: 'getPhoneNumber:fail user deny' },
      { errMsg: 'getPhoneNumber:fail:user deny', code: '' },
      { errMsg: 'getPhoneNumber:fail user deny', code: 'not-for-sending' },
      { errMsg: 'getPhoneNumber:fail no permission' },
      {},
    ]) {
      page.querySelector('.bindPhone').dispatchEvent('getphonenumber', { detail });
    }
    await simulate.sleep(50);
    expect(wx.stats.requests).toBe(requests);
    expect(toasts()).toEqual([]);
    expect((await me(token)).phone).toBeNull();
  });

  it('shows a toast for an invalid phone code and binds nothing', async () => {
    const { token } = await loggedIn('acct-badcode');
    const page = await renderLoggedIn();
    // Another user's code is one WeChat refuses for this user (40029); so is one it never issued.
    for (const code of [await phoneCode('someone-else'), 'never-issued']) {
      wx.ui.length = 0;
      page.querySelector('.bindPhone').dispatchEvent('getphonenumber', { detail: { errMsg: 'getPhoneNumber:ok', code } });
      await toastShown();
      expect(toasts()).toEqual([{ title: '授权已失效，请重新绑定', icon: 'none' }]);
    }
    expect((await me(token)).phone).toBeNull();
    expect(page.querySelector('.phone')).toBeUndefined();
  });

  it('shows a toast when binding too often (5 an hour)', async () => {
    const { token } = await loggedIn('acct-often');
    const page = await renderLoggedIn();
    for (let i = 0; i < 5; i++) await server.client(token).account.bindPhone.mutate({ code: await phoneCode('acct-often') });
    page.querySelector('.bindPhone').dispatchEvent('getphonenumber', { detail: { errMsg: 'getPhoneNumber:ok', code: await phoneCode('acct-often') } });
    await toastShown();
    expect(toasts()).toEqual([{ title: '操作太频繁，请稍后再试', icon: 'none' }]);
  });

  it('uploads the chosen avatar to POST /avatars and sets it with updateProfile', async () => {
    const { token, user } = await loggedIn('acct-avatar');
    const page = await renderLoggedIn();
    const uploads = wx.stats.uploads;
    page.querySelector('.avatarButton').dispatchEvent('chooseavatar', { detail: { avatarUrl: png } });
    await toastShown();
    expect(toasts()).toEqual([{ title: '头像已更新', icon: 'success' }]);
    expect(wx.stats.uploads).toBe(uploads + 1);
    const account = await me(token);
    const { avatarId } = await server.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { avatarId: true } });
    expect(account.avatarUrl).toBe(`${server.url}/avatars/${avatarId}`);
    expect(Buffer.from(await (await fetch(account.avatarUrl!)).arrayBuffer())).toEqual(pngBytes);
    await simulate.sleep(0);
    expect(page.instance.data.user.avatarUrl).toBe(account.avatarUrl);
    expect(page.querySelector('.avatarEmpty')).toBeUndefined(); // the image, not the grey placeholder
  });

  it('shows a toast for an image the server refuses and keeps the avatar', async () => {
    const { token } = await loggedIn('acct-gif');
    const page = await renderLoggedIn();
    page.querySelector('.avatarButton').dispatchEvent('chooseavatar', { detail: { avatarUrl: gif } });
    await toastShown();
    expect(toasts()).toEqual([{ title: '请选择 JPG、PNG 或 WebP 图片', icon: 'none' }]);
    expect((await me(token)).avatarUrl).toBeNull();
    expect(page.instance.data.user.avatarUrl).toBeNull();
    expect(page.querySelector('.avatarEmpty')).toBeDefined();
  });

  it('saves the nickname from the nickname input once (confirm, then blur)', async () => {
    const { token } = await loggedIn('acct-nick');
    const page = await renderLoggedIn();
    const input = page.querySelector('.nicknameInput');
    input.dispatchEvent('confirm', { detail: { value: ' 小明 ' } });
    input.dispatchEvent('blur', { detail: { value: ' 小明 ' } });
    await toastShown();
    await simulate.sleep(20);
    expect(toasts()).toEqual([{ title: '昵称已更新', icon: 'success' }]);
    expect((await me(token)).nickName).toBe('小明');
    expect(text(page, '.nickname')).toBe('小明');
    expect(page.instance.data.nickInput).toBe('小明');
    const checks = ((await (await fetch(`${server.emulator.url}/emulator/stats`)).json()) as { textCheckRequests: number }).textCheckRequests;
    input.dispatchEvent('blur', { detail: { value: '小明' } }); // unchanged: nothing sent
    await simulate.sleep(50);
    expect(((await (await fetch(`${server.emulator.url}/emulator/stats`)).json()) as { textCheckRequests: number }).textCheckRequests).toBe(checks);
    expect(toasts()).toHaveLength(1);
  });

  it('refuses a risky nickname with a toast and keeps the old one', async () => {
    const { token, user } = await loggedIn('acct-risky');
    await server.db.user.update({ where: { id: user.id }, data: { nickName: '旧名字' } });
    const page = await renderLoggedIn();
    expect(text(page, '.nickname')).toBe('旧名字');
    page.querySelector('.nicknameInput').dispatchEvent('blur', { detail: { value: '违禁的名字' } });
    await toastShown();
    expect(toasts()).toEqual([{ title: '昵称含不当内容，请修改', icon: 'none' }]);
    expect((await me(token)).nickName).toBe('旧名字');
    await simulate.sleep(0);
    expect(text(page, '.nickname')).toBe('旧名字');
    expect(page.instance.data.nickInput).toBe('旧名字');
  });
});

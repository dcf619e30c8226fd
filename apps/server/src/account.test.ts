// account.* over HTTP with tRPC's client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, trpcError, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { PUBLIC_BASE_URL: 'https://api.example.com/' } });
});
afterAll(() => server.close());

describe('account.me', () => {
  it('shows the profile with the phone masked and an uploaded avatar as an absolute URL', async () => {
    const { token, user } = await server.login('me-full');
    await server.db.avatar.create({ data: { id: 'me-avatar-aaaaaaaaaaaaaa', userId: user.id, contentType: 'image/png', bytes: new Uint8Array([1]), createdAt: new Date() } });
    await server.db.user.update({ where: { id: user.id }, data: { nickName: '小明', avatarId: 'me-avatar-aaaaaaaaaaaaaa', phoneNumber: '13800138000', phoneCountryCode: '86' } });
    expect(await server.client(token).account.me.query()).toEqual({
      id: user.id,
      nickName: '小明',
      avatarUrl: 'https://api.example.com/avatars/me-avatar-aaaaaaaaaaaaaa',
      phone: '138****8000',
      phoneCountryCode: '86',
    });
  });

  it('shows nulls for a fresh account', async () => {
    const { token, user } = await server.login('me-empty');
    expect(await server.client(token).account.me.query()).toEqual({ id: user.id, nickName: null, avatarUrl: null, phone: null, phoneCountryCode: null });
  });

  it('requires a session', async () => {
    const error = await trpcError(server.client(null).account.me.query());
    expect(error.data).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SESSION_INVALID' });
  });
});

// A user's unionid comes from WeChat's jscode2session only, and belongs to one user.
import { createCipheriv, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testAppid, trpcError, type TestServer } from './testing/startTestServer.ts';
import { testDatabases, type OpenedTestDatabase } from './testing/testDatabases.ts';

describe.each(testDatabases)('unionid on %s', (_name, open) => {
  let database: OpenedTestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ env: database.env });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const emulatedUser = async (user: string) =>
    (await (await fetch(`${server.emulator.url}/emulator/users/${user}`)).json()) as { openid: string; unionid: string | null; sessionKey: string };
  const patchUser = async (user: string, patch: object) => {
    const response = await fetch(`${server.emulator.url}/emulator/users/${user}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
    expect(response.status).toBe(200);
  };
  const storedUser = async (user: string) => server.db.user.findUnique({ where: { openid: (await emulatedUser(user)).openid } });
  const rowCounts = async () => ({ users: await server.db.user.count(), sessions: await server.db.session.count() });

  it('never takes it from client-sent encryptedData, whose profile still applies', async () => {
    await patchUser('mallory', { unionid: null }); // jscode2session gives none
    const code = await server.mint('mallory');
    const { openid, sessionKey } = await emulatedUser('mallory');
    // What any client holding its own session_key can build: AES-CBC carries no integrity.
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv);
    const plaintext = JSON.stringify({
      openId: openid,
      nickName: 'Mallory',
      avatarUrl: 'https://example.com/m.png',
      unionId: 'oForgedUnionid0000000000000',
      watermark: { timestamp: Math.floor(server.now().getTime() / 1000), appid: testAppid },
    });
    const encryptedData = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');

    const result = await server.client().auth.login.mutate({ code, encryptedData, iv: iv.toString('base64') });
    expect(result.user).toMatchObject({ nickName: 'Mallory', avatarUrl: 'https://example.com/m.png' });
    expect(await storedUser('mallory')).toMatchObject({ id: result.user.id, unionid: null });
  });

  it('stores the unionid jscode2session returns', async () => {
    const { user } = await server.login('nina');
    expect(await storedUser('nina')).toMatchObject({ id: user.id, unionid: (await emulatedUser('nina')).unionid });
  });

  it('refuses a first login whose unionid another user holds: CONFLICT (409), no user and no session written', async () => {
    await server.login('olga');
    await patchUser('pavel', { unionid: (await emulatedUser('olga')).unionid });
    const before = await rowCounts();
    const error = await trpcError(server.login('pavel'));
    expect(error.data).toMatchObject({ code: 'CONFLICT', reason: 'UNIONID_CONFLICT', httpStatus: 409 });
    expect(await rowCounts()).toEqual(before);
    expect(await storedUser('pavel')).toBeNull();
  });

  it('lets in one of several users logging in at once with one unionid, and refuses the others with CONFLICT', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `twin-${i}`);
    const { unionid } = await emulatedUser(names[0]!);
    for (const name of names.slice(1)) await patchUser(name, { unionid });
    const codes = await Promise.all(names.map((name) => server.mint(name)));
    const settled = await Promise.allSettled(codes.map((code) => server.client().auth.login.mutate({ code })));
    expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of settled) {
      if (result.status === 'rejected') expect(result.reason.data).toMatchObject({ code: 'CONFLICT', reason: 'UNIONID_CONFLICT' });
    }
    const holders = await server.db.user.findMany({ where: { unionid }, select: { _count: { select: { sessions: true } } } });
    expect(holders).toEqual([{ _count: { sessions: 1 } }]);
  });

  it('refuses a known user WeChat now gives another user’s unionid: CONFLICT, their row and sessions unchanged', async () => {
    await server.login('quinn');
    await server.login('rosa');
    const row = await storedUser('rosa');
    await patchUser('rosa', { unionid: (await emulatedUser('quinn')).unionid });
    const before = await rowCounts();
    const error = await trpcError(server.login('rosa'));
    expect(error.data).toMatchObject({ code: 'CONFLICT', reason: 'UNIONID_CONFLICT', httpStatus: 409 });
    expect(await rowCounts()).toEqual(before);
    expect(await storedUser('rosa')).toEqual(row); // same session_key, unionid, updatedAt
  });
});

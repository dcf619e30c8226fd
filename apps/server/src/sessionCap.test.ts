// SESSION_MAX_PER_USER: a login past the cap ends the user's oldest sessions, never its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';
import { testDatabases, type OpenedTestDatabase } from './testing/testDatabases.ts';

describe.each(testDatabases)('the per-user session cap on %s', (_name, open) => {
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

  const valid = async (on: TestServer, token: string) => (await on.client(token).auth.check.query()).valid;

  it('is 20 by default: the 21st login ends exactly the oldest session, the newest 20 stay valid', async () => {
    const logins = [];
    for (let i = 0; i < 21; i++) {
      logins.push(await server.login('twenty-one'));
      server.advance(1_000);
    }
    expect(await server.db.session.count({ where: { userId: logins[0]!.user.id } })).toBe(20);
    expect(await valid(server, logins[0]!.token)).toBe(false);
    for (const { token } of logins.slice(1)) expect(await valid(server, token)).toBe(true);
  });

  it('never ends the session just created, even when sessions share a creation time', async () => {
    const capped = await startTestServer({ env: { ...database.env, SESSION_MAX_PER_USER: '1' } });
    try {
      const logins = [];
      for (let i = 0; i < 6; i++) {
        const login = await capped.login('one-device'); // the clock stands still: every createdAt is equal
        expect(await valid(capped, login.token)).toBe(true);
        logins.push(login);
      }
      for (const { token } of logins.slice(0, -1)) expect(await valid(capped, token)).toBe(false);
      expect(await capped.db.session.count({ where: { userId: logins[0]!.user.id } })).toBe(1);
    } finally {
      await capped.close();
    }
  });
});

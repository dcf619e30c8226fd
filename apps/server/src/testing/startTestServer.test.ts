// The test server's leak scan sees every response, however a test reads it.
import { describe, expect, it } from 'vitest';
import { startTestServer } from './startTestServer.ts';

describe('startTestServer', () => {
  it('records what plain fetch received, so a token it got is checked too', async () => {
    const server = await startTestServer();
    const response = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: await server.mint('plain') }),
    });
    const { token } = ((await response.json()) as { result: { data: { token: string } } }).result.data;
    expect(server.bodies.filter((body) => body.includes(token))).toHaveLength(1);
    expect(await (await fetch(`${server.url}/no/such/route`)).text()).toBe(server.bodies.at(-1));
    server.logs.push(`{"msg":"a careless line","authorization":"Bearer ${token}"}`);
    await expect(server.close()).rejects.toThrow(/a token is in a log line/);
  });
});

// Fastify logs every request's URL, and a GET carries its procedure input there: a login code sent that way
// (wrongly, or by an attacker's page) must not reach the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));

describe('the request log', () => {
  it.each([
    ['a mutation sent as a GET', (code: string) => `/trpc/auth.login?input=${json({ code })}`, '/trpc/auth.login?input=[redacted]'],
    ['unencoded JSON', (code: string) => `/trpc/auth.login?input={"code":"${code}"}`, '/trpc/auth.login?input=[redacted]'],
    ['a batch', (code: string) => `/trpc/auth.check,auth.login?batch=1&input=${json({ 1: { code } })}`, '/trpc/auth.check,auth.login?batch=1&input=[redacted]'],
    ['a percent-encoded parameter name', (code: string) => `/trpc/auth.login?%69nput=${code}&input=${code}`, '/trpc/auth.login?%69nput=[redacted]&input=[redacted]'],
  ])('keeps the input of %s out of every line, and still shows the path', async (_, url, logged) => {
    const code = await server.mint('url-leak');
    const before = server.logs.length;
    const response = await fetch(`${server.url}${url(code)}`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    const lines = server.logs.slice(before);
    expect(lines.filter((line) => line.includes(code))).toEqual([]);
    const urls = lines.map((line) => (JSON.parse(line) as { req?: { url: string } }).req?.url).filter((value) => value !== undefined);
    expect(urls).toEqual([logged]);
  });
});

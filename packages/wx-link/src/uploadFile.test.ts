// client.uploadFile on every platform: the real POST /avatars for headers, re-login and answers; a slow
// local server for the shared task slots and the timeout.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '@wxtrpc/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWxClient, type ExchangeCode, type WxClientOptions } from './createWxClient.ts';
import { PlatformRequestError } from './PlatformRequestError.ts';
import { fakePlatforms } from './testing/fakePlatforms.ts';

let server: TestServer;
let dir: string;
let png: string;
let gif: string;
/** Answers every upload after `?delay=` ms (default 300): JSON, or text under /text. */
let slow: http.Server;
let slowUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), 'wx-link-upload-'));
  png = path.join(dir, 'avatar.png');
  gif = path.join(dir, 'avatar.gif');
  await writeFile(png, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]));
  await writeFile(gif, 'GIF89a....');
  slow = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    req.resume().on('end', () =>
      setTimeout(
        () => {
          if (url.pathname === '/text') res.writeHead(200, { 'content-type': 'text/plain' }).end('stored');
          else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        },
        Number(url.searchParams.get('delay') ?? 300),
      ),
    );
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
});
afterAll(async () => {
  slow.closeAllConnections();
  slow.close();
  await rm(dir, { recursive: true, force: true });
  await server.close();
});

describe.each(fakePlatforms)('uploadFile on $name', (kind) => {
  const setup = (name: string, options: Partial<Pick<WxClientOptions, 'exchangeCode' | 'timeoutMs'>> = {}) => {
    const { fake, clientOptions } = kind.create({ emulatorUrl: server.emulator.url, user: `${kind.name}-up-${name}` });
    const exchangeCode: ExchangeCode = ({ code, client }) => client.auth.login.mutate({ code });
    return { fake, ...createWxClient({ url: `${server.url}/trpc`, ...clientOptions, ...(kind.wechatLogin ? {} : { exchangeCode }), ...options }) };
  };

  it('uploads with the session’s Bearer header; answers are parsed JSON with their status', async () => {
    const { fake, login, uploadFile } = setup('ok');
    await login();
    const stored = await uploadFile({ url: `${server.url}/avatars`, filePath: png, name: 'file', formData: { purpose: 'avatar' } });
    expect(stored).toEqual({ status: 200, body: { avatarId: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/) } });
    const refused = await uploadFile({ url: `${server.url}/avatars`, filePath: gif, name: 'file' });
    expect(refused).toEqual({ status: 415, body: { statusCode: 415, reason: 'AVATAR_TYPE_UNSUPPORTED', error: expect.any(String) } });
    expect(fake.stats.uploads).toBe(2);
  });

  it('on 401 logs in once and retries once', async () => {
    const { fake, login, session, uploadFile } = setup('relogin');
    const first = await login();
    server.advance(31 * 24 * 3_600_000);
    try {
      const results = await Promise.all([1, 2].map(() => uploadFile({ url: `${server.url}/avatars`, filePath: png, name: 'file' })));
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect(fake.stats.logins).toBe(2);
      expect(fake.stats.uploads).toBe(4);
      expect(session.get()!.token).not.toBe(first.token);
    } finally {
      server.advance(-31 * 24 * 3_600_000);
    }
  });

  it('answers the 401 when logging in again fails (never loops)', async () => {
    const { fake, uploadFile } = setup('nologin', { exchangeCode: () => Promise.reject(new Error('no exchange')) });
    await expect(uploadFile({ url: `${server.url}/avatars`, filePath: png, name: 'file' })).resolves.toMatchObject({ status: 401, body: { reason: 'SESSION_INVALID' } });
    expect(fake.stats.logins).toBe(1);
    expect(fake.stats.uploads).toBe(1);
  });

  it('shares the 10 task slots with requests: a request waits for a slot like an upload does', async () => {
    const { fake, client, uploadFile } = setup('slots');
    const uploads = Array.from({ length: 12 }, () => uploadFile({ url: `${slowUrl}/avatars`, filePath: png, name: 'file' }));
    const started = performance.now();
    const check = client.auth.check.query().then(() => performance.now() - started);
    const results = await Promise.all(uploads);
    expect(results.every((r) => r.status === 200 && (r.body as { ok: boolean }).ok)).toBe(true);
    expect(await check).toBeGreaterThanOrEqual(250); // queued behind the first 10 uploads
    expect(fake.stats.maxInFlight).toBe(10);
    expect(fake.stats.refused).toBe(0);
    expect(await uploadFile({ url: `${slowUrl}/text?delay=0`, filePath: png, name: 'file' })).toEqual({ status: 200, body: 'stored' });
  });

  it('times out an upload with a typed PlatformRequestError and frees its slot', async () => {
    const { fake, uploadFile } = setup('timeout', { timeoutMs: 200 });
    const error = await uploadFile({ url: `${slowUrl}/avatars?delay=1000`, filePath: png, name: 'file' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestError);
    expect(error).toMatchObject({ kind: 'timeout', platform: kind.name });
    expect(fake.stats.inFlight).toBe(0);
  });
});

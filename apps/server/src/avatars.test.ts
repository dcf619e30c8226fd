// POST /avatars and GET /avatars/<id> over HTTP, as wx.uploadFile and <image src> use them.
import { createUser } from '@wxtrpc/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUnusedAvatars } from '@wxtrpc/api';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1)]);
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(50, 2)]);

/** The request wx.uploadFile makes: multipart/form-data with the file under `name` and `formData` fields. */
function upload(token: string | null, bytes: Buffer, options: { fileName?: string; type?: string; field?: string } = {}) {
  const form = new FormData();
  form.append('purpose', 'avatar');
  form.append(options.field ?? 'file', new Blob([bytes], { type: options.type ?? 'image/png' }), options.fileName ?? 'tmp_avatar.png');
  return fetch(`${server.url}/avatars`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describe('POST /avatars', () => {
  it('stores a PNG, JPEG or WebP recognised by its bytes, served back byte for byte with an immutable cache header', async () => {
    const { token } = await server.login('avatar-ok');
    for (const [bytes, type] of [
      [png, 'image/png'],
      [jpeg, 'image/jpeg'],
      [webp, 'image/webp'],
    ] as const) {
      const response = await upload(token, bytes, { type: 'application/octet-stream', fileName: 'x.bin', field: 'avatar' });
      expect(response.status).toBe(200);
      const { avatarId } = (await response.json()) as { avatarId: string };
      expect(avatarId).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const served = await fetch(`${server.url}/avatars/${avatarId}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe(type);
      expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
    }
  });

  it('refuses other content, oversized images, a missing file and non-multipart bodies with a clear 4xx', async () => {
    const { token, user } = await server.login('avatar-bad');
    const gif = await upload(token, Buffer.from('GIF89a....'), { type: 'image/png' });
    expect([gif.status, ((await gif.json()) as { reason: string }).reason]).toEqual([415, 'AVATAR_TYPE_UNSUPPORTED']);
    const big = await upload(token, Buffer.concat([png, Buffer.alloc(256 * 1024)]));
    expect([big.status, ((await big.json()) as { reason: string }).reason]).toEqual([413, 'AVATAR_TOO_LARGE']);
    const noFile = new FormData();
    noFile.append('purpose', 'avatar');
    const missing = await fetch(`${server.url}/avatars`, { method: 'POST', body: noFile, headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(400);
    const json = await fetch(`${server.url}/avatars`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect(json.status).toBe(415);
    expect(await server.db.avatar.count({ where: { userId: user.id } })).toBe(0); // nothing refused was stored
  });

  it('requires a session', async () => {
    for (const token of [null, 'unknown.token']) {
      const response = await upload(token, png);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ reason: 'SESSION_INVALID' });
    }
  });

  it('allows 10 uploads per user per hour, counted in the database', async () => {
    const { token } = await server.login('avatar-many');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await upload(token, png)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const other = await server.login('avatar-other');
    expect((await upload(other.token, png)).status).toBe(200);
    expect(await server.db.rateLimit.count({ where: { key: { startsWith: 'avatar-upload' } } })).toBeGreaterThanOrEqual(2);
  });
});

describe('GET /avatars/<id>', () => {
  it('answers 404 for unknown and malformed ids', async () => {
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAAAA', 'short', '..%2F..%2Fetc', 'x'.repeat(500)]) {
      expect((await fetch(`${server.url}/avatars/${id}`)).status).toBe(404);
    }
  });
});

describe('unused uploads', () => {
  it('are deleted after a day unless a user chose them', async () => {
    const user = await createUser(server.db);
    const old = new Date(server.now().getTime() - 25 * 3_600_000);
    const bytes = new Uint8Array(png);
    await server.db.avatar.createMany({
      data: [
        { id: 'unused-old-aaaaaaaaaaaaa', userId: user.id, contentType: 'image/png', bytes, createdAt: old },
        { id: 'chosen-old-aaaaaaaaaaaaa', userId: user.id, contentType: 'image/png', bytes, createdAt: old },
        { id: 'unused-new-aaaaaaaaaaaaa', userId: user.id, contentType: 'image/png', bytes, createdAt: server.now() },
      ],
    });
    await server.db.user.update({ where: { id: user.id }, data: { avatarId: 'chosen-old-aaaaaaaaaaaaa' } });
    expect(await deleteUnusedAvatars(server.db, server.now())).toBeGreaterThanOrEqual(1);
    const left = await server.db.avatar.findMany({ where: { userId: user.id }, select: { id: true }, orderBy: { id: 'asc' } });
    expect(left.map((avatar) => avatar.id)).toEqual(['chosen-old-aaaaaaaaaaaaa', 'unused-new-aaaaaaaaaaaaa']);
  });
});

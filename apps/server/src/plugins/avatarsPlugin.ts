import { randomBytes } from 'node:crypto';
import multipart from '@fastify/multipart';
import { bearerToken, consumeUserLimit, UserLimitError, type ApiServices } from '@wxtrpc/api';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { imageTypeOf } from '../avatars/imageTypeOf.ts';

export const maxAvatarBytes = 256 * 1024;
const avatarIdPattern = /^[A-Za-z0-9_-]{24}$/;

const refuse = (reply: FastifyReply, statusCode: number, reason: string, error: string) => reply.code(statusCode).send({ statusCode, reason, error });

/**
 * POST /avatars: a signed-in user uploads an image as wx.uploadFile sends it (multipart/form-data, one
 * file part, any field name), JPEG, PNG or WebP by its bytes, up to 256 KB, 10 an hour; answers
 * `{ avatarId }`. GET /avatars/<id>: public (an <image src> sends no header), so ids are random (144
 * bits) and answers are cacheable forever. Images live in the database, so every instance serves them.
 */
export async function avatarsPlugin(app: FastifyInstance, { services }: { services: ApiServices }) {
  await app.register(multipart, { limits: { fileSize: maxAvatarBytes, files: 1, fields: 10, fieldSize: 1_024, parts: 12 } });

  app.post('/avatars', async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    const auth = token ? await services.sessions.validate(token) : null;
    if (!auth) return refuse(reply, 401, 'SESSION_INVALID', 'Log in first: the session is missing, unknown or expired');
    try {
      await consumeUserLimit(services.userLimits.avatarUpload, auth.user.id, 'avatar uploads', services.metrics);
    } catch (error) {
      if (!(error instanceof UserLimitError)) throw error;
      reply.header('retry-after', error.retryAfterSeconds);
      return refuse(reply, 429, error.reason, error.message);
    }
    if (!request.isMultipart()) return refuse(reply, 415, 'AVATAR_NOT_MULTIPART', 'Send the image as multipart/form-data, as wx.uploadFile does');
    const file = await request.file();
    if (!file) return refuse(reply, 400, 'AVATAR_MISSING', 'The form has no file part');
    let bytes: Buffer;
    try {
      bytes = await file.toBuffer();
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return refuse(reply, 413, 'AVATAR_TOO_LARGE', `The image is over ${maxAvatarBytes / 1024} KB`);
      throw error;
    }
    const contentType = imageTypeOf(bytes);
    if (!contentType) return refuse(reply, 415, 'AVATAR_TYPE_UNSUPPORTED', 'Only JPEG, PNG and WebP images are accepted');
    const id = randomBytes(18).toString('base64url');
    await services.db.avatar.create({ data: { id, userId: auth.user.id, contentType, bytes: new Uint8Array(bytes), createdAt: services.now() } });
    return { avatarId: id };
  });

  app.get<{ Params: { id: string } }>('/avatars/:id', async (request, reply) => {
    const avatar = avatarIdPattern.test(request.params.id)
      ? await services.db.avatar.findUnique({ where: { id: request.params.id }, select: { contentType: true, bytes: true } })
      : null;
    if (!avatar) return refuse(reply, 404, 'AVATAR_NOT_FOUND', 'No such avatar');
    return reply
      .headers({ 'content-type': avatar.contentType, 'cache-control': 'public, max-age=31536000, immutable', 'cross-origin-resource-policy': 'cross-origin' })
      .send(Buffer.from(avatar.bytes));
  });
}

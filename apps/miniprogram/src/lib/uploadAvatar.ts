import { config } from '../config';
import { getApi } from './api';
import { AvatarUploadError } from './AvatarUploadError';
import { avatarUploadUrl } from './avatarUploadUrl';

/**
 * Sends a local image (chooseAvatar's temp file) to POST /avatars through the client's uploadFile (same
 * task slots and Bearer header as the calls, one re-login on a 401); answers the avatarId for
 * account.updateProfile, or throws AvatarUploadError.
 */
export async function uploadAvatar(filePath: string): Promise<string> {
  const { status, body } = await getApi().uploadFile({ url: avatarUploadUrl(config.apiUrl), filePath, name: 'file' });
  const answer = (typeof body === 'object' && body !== null ? body : {}) as { avatarId?: unknown; reason?: unknown };
  if (status === 200 && typeof answer.avatarId === 'string') return answer.avatarId;
  throw new AvatarUploadError(status, typeof answer.reason === 'string' ? answer.reason : null);
}

/** POST /avatars answered without an avatarId: its HTTP status and the server's `reason` (AVATAR_TOO_LARGE, …). */
export class AvatarUploadError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string | null,
  ) {
    super(`avatar upload: HTTP ${status}${reason ? ` ${reason}` : ''}`);
    this.name = 'AvatarUploadError';
  }
}

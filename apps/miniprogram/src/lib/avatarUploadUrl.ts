/**
 * Where POST /avatars is, from the tRPC endpoint (`https://api.example.com/trpc` → `https://api.example.com/avatars`).
 * String work only: the mini-program runtime has no `URL`.
 */
export function avatarUploadUrl(apiUrl: string): string {
  const base = apiUrl.split(/[?#]/)[0]!.replace(/\/+$/, '');
  return `${base.replace(/\/trpc$/, '')}/avatars`;
}

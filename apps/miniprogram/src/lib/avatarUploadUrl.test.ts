import { describe, expect, it } from 'vitest';
import { avatarUploadUrl } from './avatarUploadUrl.ts';

describe('avatarUploadUrl', () => {
  it.each([
    ['http://127.0.0.1:3000/trpc', 'http://127.0.0.1:3000/avatars'],
    ['https://api.example.com/trpc/', 'https://api.example.com/avatars'],
    ['https://api.example.com/v1/trpc', 'https://api.example.com/v1/avatars'],
    ['https://api.example.com/trpc?x=1', 'https://api.example.com/avatars'],
    ['https://api.example.com', 'https://api.example.com/avatars'],
  ])('%s → %s', (apiUrl, expected) => {
    expect(avatarUploadUrl(apiUrl)).toBe(expected);
  });
});

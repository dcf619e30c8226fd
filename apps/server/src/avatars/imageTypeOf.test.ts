import { describe, expect, it } from 'vitest';
import { imageTypeOf } from './imageTypeOf.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('imageTypeOf', () => {
  it('recognises JPEG, PNG and WebP by their signatures', () => {
    expect(imageTypeOf(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0))).toBe('image/jpeg');
    expect(imageTypeOf(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(imageTypeOf(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses everything else, whatever it is named', () => {
    for (const other of [
      Buffer.from('GIF89a'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVE'),
      bytes(0xff, 0xd8),
      bytes(),
    ]) {
      expect(imageTypeOf(other)).toBeNull();
    }
  });
});

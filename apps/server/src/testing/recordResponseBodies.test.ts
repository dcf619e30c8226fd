import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordResponseBodies } from './recordResponseBodies.ts';

const bodies: string[] = [];
let url: string;
const server = http.createServer((request, response) => {
  if (request.url === '/whole') return response.end('{"whole":true}');
  if (request.url === '/streamed') {
    response.write('{"streamed":');
    response.write(Buffer.from('"in '));
    response.write('6368756e6b73', 'hex'); // "chunks"
    return setTimeout(() => response.end('"}', () => {}), 20);
  }
  response.write('{"cut":"sho'); // then the connection drops
  setTimeout(() => response.destroy(), 20);
});

beforeAll(async () => {
  recordResponseBodies(server, bodies);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('recordResponseBodies', () => {
  it('records a body sent at once, one streamed in chunks (strings, buffers, encodings), and one cut short', async () => {
    expect(await (await fetch(`${url}/whole`)).text()).toBe('{"whole":true}');
    expect(await (await fetch(`${url}/streamed`)).text()).toBe('{"streamed":"in chunks"}');
    await fetch(`${url}/cut`)
      .then((response) => response.text())
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bodies).toEqual(['{"whole":true}', '{"streamed":"in chunks"}', '{"cut":"sho']);
  });
});

import v8 from 'node:v8';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { LeanRequest } from './createLeanTrpcHandler.ts';
import { leanRequestOf } from './leanRequestOf.ts';

// V8's own comparison of two objects' hidden classes (its natives syntax, allowed here for this one function).
v8.setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

describe('leanRequestOf', () => {
  it('reads method, paths, input and body, and gives every request one hidden class', async () => {
    const app = Fastify();
    const seen: LeanRequest[] = [];
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.all<{ Params: { path: string } }>('/trpc/:path', async (request) => {
      seen.push(leanRequestOf(request));
      return 'ok';
    });
    try {
      // A spread gets a hidden class of its own once its inline cache has warmed up: a few requests first.
      for (let i = 0; i < 30; i++) await app.inject({ method: 'GET', url: `/trpc/order.list?input=${encodeURIComponent(JSON.stringify({ limit: i + 1 }))}` });
      await app.inject({ method: 'POST', url: '/trpc/auth.login,auth.check?batch=1', headers: { 'content-type': 'application/json' }, payload: '{"0":{"code":"c"}}' });
      const [get, post] = [seen[29]!, seen[30]!];
      expect(get).toMatchObject({ batch: false, paths: ['order.list'], method: 'GET', streaming: false, body: undefined });
      expect(get.query.get('input')).toBe('{"limit":30}');
      expect(post).toMatchObject({ batch: true, paths: ['auth.login', 'auth.check'], method: 'POST', contentType: 'application/json', body: '{"0":{"code":"c"}}' });
      expect(haveSameMap({ a: 1 }, { b: 1 })).toBe(false); // the check can tell
      expect(haveSameMap(seen[28]!, seen[29]!)).toBe(true);
    } finally {
      await app.close();
    }
  });
});

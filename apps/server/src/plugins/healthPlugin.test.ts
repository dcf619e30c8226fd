import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { healthPlugin } from './healthPlugin.ts';

describe('healthPlugin', () => {
  it('answers /healthz always and /readyz 503 when the database does not answer', async () => {
    const app = Fastify({ logger: false });
    let databaseUp = true;
    await app.register(healthPlugin, {
      ping: async () => {
        if (!databaseUp) throw new Error('SQLITE_CANTOPEN');
      },
    });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    databaseUp = false;
    const down = await app.inject('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', reason: 'database' });
    expect(down.body).not.toContain('SQLITE');
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    await app.close();
  });
});

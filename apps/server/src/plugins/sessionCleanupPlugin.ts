import type { SessionService } from '@wxtrpc/api';
import type { FastifyInstance } from 'fastify';

/** Deletes expired sessions at start-up and then every `intervalMs` (expired rows are already ignored when read). */
export async function sessionCleanupPlugin(app: FastifyInstance, { sessions, intervalMs }: { sessions: SessionService; intervalMs: number }) {
  const run = async () => {
    try {
      const removed = await sessions.deleteExpired();
      if (removed > 0) app.log.info({ removed }, 'expired sessions removed');
    } catch (error) {
      app.log.error({ err: error }, 'expired-session cleanup failed');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await run();
    timer = setInterval(run, intervalMs).unref();
  });
  app.addHook('preClose', async () => clearInterval(timer));
}

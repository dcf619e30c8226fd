import type { FastifyInstance } from 'fastify';

/** A periodic deletion: returns how many rows it removed. */
export type CleanupTask = () => Promise<number>;

/**
 * Runs each task at start-up and then every `intervalMs`: expired sessions (already ignored when read),
 * uploads nobody chose. A failing task is logged and tried again next time.
 */
export async function cleanupPlugin(app: FastifyInstance, { tasks, intervalMs }: { tasks: Record<string, CleanupTask>; intervalMs: number }) {
  const run = async () => {
    for (const [name, task] of Object.entries(tasks)) {
      try {
        const removed = await task();
        if (removed > 0) app.log.info({ removed, task: name }, `cleanup: ${name}`);
      } catch (error) {
        app.log.error({ err: error, task: name }, `cleanup failed: ${name}`);
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await run();
    timer = setInterval(run, intervalMs).unref();
  });
  app.addHook('preClose', async () => clearInterval(timer));
}

import type { MiniProgramPlatform, PlatformFailure, PlatformTask } from './MiniProgramPlatform.ts';
import { PlatformRequestError } from './PlatformRequestError.ts';

/** The part of AbortSignal the runner reads (tRPC hands it a native one or the shim's). */
export interface SignalLike {
  aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface TaskRunnerOptions {
  /** Tasks at once; defaults to the platform's limit. */
  maxConcurrent?: number;
  /** Per task, from its start (not its time in the queue); default 60 s, wx's longest. */
  timeoutMs?: number;
}

export type StartTask<T> = (callbacks: { timeout: number; success(result: T): void; fail(failure: PlatformFailure): void }) => PlatformTask;

/** Runs a platform task once a slot is free; settles with its result, its failure, a timeout or an abort. */
export type TaskRunner = <T>(start: StartTask<T>, signal?: SignalLike | null) => Promise<T>;

export const abortError = () => {
  const error = new Error('The request was aborted');
  error.name = 'AbortError';
  return error;
};

/**
 * The discipline every request and upload shares: at most `maxConcurrent` platform tasks at once (the
 * rest wait in order), a timeout that aborts the task, and an abort signal that takes a task out of the
 * queue or aborts it. Hand-written: queue libraries (p-limit, p-queue) cannot drop one waiting task on abort.
 */
export function createTaskRunner(platform: Pick<MiniProgramPlatform, 'name' | 'maxConcurrent'>, options: TaskRunnerOptions = {}): TaskRunner {
  const maxConcurrent = options.maxConcurrent ?? platform.maxConcurrent;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const waiting: (() => void)[] = [];
  let running = 0;

  return <T>(start: StartTask<T>, signal?: SignalLike | null) =>
    new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      let task: PlatformTask | null = null;
      let started = false;
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;

      // Settles once; a task still running is aborted first (its own late fail callback is then ignored).
      const finish = (settle: () => void, abortTask = false) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (abortTask) task?.abort();
        if (started) {
          running--;
          waiting.shift()?.();
        } else {
          waiting.splice(waiting.indexOf(begin), 1);
        }
        settle();
      };
      const onAbort = () => finish(() => reject(abortError()), true);
      const begin = () => {
        started = true;
        running++;
        timer = setTimeout(() => finish(() => reject(new PlatformRequestError(`${platform.name}: timed out after ${timeoutMs} ms`, 'timeout', platform.name)), true), timeoutMs);
        try {
          task = start({
            timeout: timeoutMs,
            success: (result) => finish(() => resolve(result)),
            fail: (failure) => finish(() => reject(new PlatformRequestError(failure.message, failure.timeout ? 'timeout' : 'network', platform.name, failure.code))),
          });
        } catch (error) {
          finish(() => reject(error));
        }
      };

      signal?.addEventListener('abort', onAbort, { once: true });
      if (running < maxConcurrent) begin();
      else waiting.push(begin);
    });
}

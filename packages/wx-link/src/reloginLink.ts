import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable, type Unsubscribable } from '@trpc/server/observable';

export interface ReloginLinkOptions {
  /** Logs in again and stores the new token (e.g. wx.login → auth.login). Called once for all concurrent failures. */
  login(): Promise<unknown>;
  /** Calls that must never trigger a re-login (the login call itself). */
  skip?: (path: string) => boolean;
}

/** Whether a call failed because the session is missing, unknown or expired. */
export const isUnauthorized = (error: unknown) => error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'UNAUTHORIZED';

/**
 * On UNAUTHORIZED, runs ONE login for every call that failed meanwhile (single flight), then replays
 * each failed call once. A call that fails again, or whose re-login fails, gets its original error: never a loop.
 */
export function reloginLink<TRouter extends AnyRouter>(options: ReloginLinkOptions): TRPCLink<TRouter> {
  let generation = 0; // bumped by every successful login
  let pending: Promise<void> | null = null;

  const relogin = (seenGeneration: number): Promise<void> => {
    if (generation !== seenGeneration) return Promise.resolve(); // someone logged in since this call was sent
    pending ??= options.login().then(
      () => {
        generation++;
        pending = null;
      },
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  };

  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | null = null;
        let stopped = false;
        const attempt = (replay: boolean) => {
          const sentWith = generation;
          subscription = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (replay || stopped || !isUnauthorized(error) || options.skip?.(op.path)) return observer.error(error);
              relogin(sentWith).then(
                () => !stopped && attempt(true),
                () => observer.error(error),
              );
            },
          });
        };
        attempt(false);
        return () => {
          stopped = true;
          subscription?.unsubscribe();
        };
      });
}

// The mini-program runtime has no AbortController, and tRPC's client makes one per call. The build
// injects this module (esbuild `inject`): references to the global name resolve here, and nothing
// global is changed. Where the runtime has a native AbortController, that one is used.

type Listener = (event: { type: 'abort'; target: AbortSignalShim }) => void;

class AbortSignalShim {
  aborted = false;
  reason: unknown = undefined;
  onabort: Listener | null = null;
  private listeners: { listener: Listener; once: boolean }[] = [];

  addEventListener(type: string, listener: Listener, options?: { once?: boolean }) {
    if (type === 'abort') this.listeners.push({ listener, once: options?.once === true });
  }

  removeEventListener(type: string, listener: Listener) {
    if (type === 'abort') this.listeners = this.listeners.filter((entry) => entry.listener !== listener);
  }

  throwIfAborted() {
    if (this.aborted) throw this.reason;
  }

  /** @internal */
  dispatchAbort(reason: unknown) {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const event = { type: 'abort' as const, target: this };
    const listeners = this.listeners;
    this.listeners = listeners.filter((entry) => !entry.once);
    this.onabort?.(event);
    for (const { listener } of listeners) listener(event);
  }
}

class AbortControllerShim {
  readonly signal = new AbortSignalShim();

  abort(reason?: unknown) {
    const error = new Error('This operation was aborted');
    error.name = 'AbortError';
    this.signal.dispatchAbort(reason === undefined ? error : reason);
  }
}

const native: typeof globalThis.AbortController | undefined = typeof AbortController === 'function' ? AbortController : undefined;

const Implementation = (native ?? AbortControllerShim) as unknown as typeof globalThis.AbortController;
export { Implementation as AbortController, AbortControllerShim };

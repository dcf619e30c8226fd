/**
 * A request or upload the platform could not complete: `kind` says whether it ran out of time (the
 * client's timeout or the runtime's own) or failed otherwise (network, refused, bad URL); `message` is the
 * runtime's own text (e.g. wx's "request:fail …"), `code` its code where it gives one.
 */
export class PlatformRequestError extends Error {
  override readonly name = 'PlatformRequestError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network',
    /** The adapter's name: 'wx', 'my', … */
    readonly platform: string,
    readonly code?: number | string,
  ) {
    super(message);
  }
}

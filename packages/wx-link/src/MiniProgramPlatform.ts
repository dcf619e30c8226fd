// One shape for every mini-program runtime's request, upload, storage and login APIs. The `from*` adapters
// (fromWx, fromMy, fromTt, fromSwan, fromQq, fromUni, fromTaro) turn each platform's own API into it.

/** A running request or upload (the platform's RequestTask / UploadTask). */
export interface PlatformTask {
  abort(): void;
}

/** A request the platform could not complete, in its own words. */
export interface PlatformFailure {
  /** The runtime's text: wx's `errMsg`, Alipay's `errorMessage`. */
  message: string;
  /** The runtime's code where it gives one: Baidu's `errCode`, Alipay's `error`, Douyin's `errNo`. */
  code?: number | string;
  /** The runtime reported a timeout. */
  timeout?: boolean;
}

/** Any HTTP status, the response headers (names as the platform gave them) and the body as text. */
export interface PlatformResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface TaskCallbacks<T> {
  /** Handed to the platform too, where it takes one. */
  timeout: number;
  success(result: T): void;
  fail(failure: PlatformFailure): void;
}

export interface PlatformRequestOptions extends TaskCallbacks<PlatformResponse> {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PlatformUploadOptions extends TaskCallbacks<PlatformResponse> {
  url: string;
  /** A local file path (from chooseImage, chooseMedia, …). */
  filePath: string;
  /** The form field the file goes in. */
  name: string;
  formData?: Record<string, string>;
  headers: Record<string, string>;
}

export interface PlatformStorage {
  /** The stored value, or null when there is none. */
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  remove(key: string): void;
}

export interface MiniProgramPlatform {
  /** 'wx', 'my', 'tt', 'swan', 'qq', 'uni', 'taro', or your own adapter's name (it prefixes error messages). */
  readonly name: string;
  /** Request and upload tasks the runtime runs at once; more are queued by the client. */
  readonly maxConcurrent: number;
  request(options: PlatformRequestOptions): PlatformTask;
  uploadFile?(options: PlatformUploadOptions): PlatformTask;
  storage: PlatformStorage;
  /** A one-time login code: wx.login's `code`, Alipay's `authCode`, … */
  login(): Promise<string>;
}

// The few mini-program APIs this package uses, typed here so it builds and tests without the
// miniprogram-api-typings globals (which clash with @types/node).

export interface WxRequestSuccess {
  data: unknown;
  statusCode: number;
  header: Record<string, string>;
  errMsg?: string;
}

export interface WxRequestOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';
  header?: Record<string, string>;
  data?: string;
  dataType?: 'json' | 'text' | string;
  responseType?: 'text' | 'arraybuffer';
  timeout?: number;
  success?: (result: WxRequestSuccess) => void;
  fail?: (error: { errMsg: string }) => void;
}

export interface WxRequestTask {
  abort(): void;
}

export interface WxLike {
  request(options: WxRequestOptions): WxRequestTask;
  login(options: { timeout?: number; success?: (result: { code: string; errMsg?: string }) => void; fail?: (error: { errMsg: string }) => void }): void;
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: unknown): void;
  removeStorageSync(key: string): void;
}

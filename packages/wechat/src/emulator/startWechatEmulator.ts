import { buildWechatEmulator, type WechatEmulatorOptions } from './buildWechatEmulator.ts';

export interface RunningWechatEmulator {
  /** Base URL to give the WeChat client, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/** Starts the emulator on loopback (port 0 picks a free port). */
export async function startWechatEmulator(options: WechatEmulatorOptions & { host?: string; port?: number }): Promise<RunningWechatEmulator> {
  const app = buildWechatEmulator(options);
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return { url, close: () => app.close() };
}

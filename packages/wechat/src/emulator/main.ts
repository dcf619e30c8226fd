// `npm run emulator`: a standalone WeChat emulator, for pointing a server at it with WECHAT_API_BASE_URL.
import { startWechatEmulator } from './startWechatEmulator.ts';

const appid = process.env.WECHAT_APPID ?? 'wx0000000000000000';
const secret = process.env.WECHAT_SECRET ?? '00000000000000000000000000000000';
const emulator = await startWechatEmulator({
  appid,
  secret,
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 4000),
  loginsPerMinute: Number(process.env.EMULATOR_LOGINS_PER_MINUTE ?? 100),
});
console.log(`WeChat emulator on ${emulator.url} (appid ${appid}); mint a code with: curl -XPOST ${emulator.url}/emulator/wx-login`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void emulator.close());

// Logins against the raw login reference (references/rawLoginServer.ts) on the SQLite bench database,
// measured exactly as the product's and the stock stack's logins are (measureLogins).
import path from 'node:path';
import { measureLogins } from './clientScenarios.ts';
import { freePort, startProcess } from './spawnProcess.ts';

/** `wechat`: WECHAT_APPID, WECHAT_SECRET and WECHAT_API_BASE_URL (the emulator's URL). */
export async function measureRawLogins(databaseFile: string, wechat: Record<string, string>, seconds: number) {
  const port = await freePort();
  const server = await startProcess(
    'raw logins',
    path.join(import.meta.dirname, 'references/rawLoginServer.ts'),
    { DATABASE_FILE: databaseFile, PORT: String(port), ...wechat },
    async (url) => (await fetch(`${url}/trpc/auth.check`)).ok,
    port,
  );
  try {
    return await measureLogins(server.url, wechat.WECHAT_API_BASE_URL!, seconds);
  } finally {
    await server.stop();
  }
}

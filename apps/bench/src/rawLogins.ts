// The raw login reference (references/rawLoginServer.ts) on the SQLite bench database, measured exactly as the
// product's and the stock stack's logins are (measureLogins).
import path from 'node:path';
import { freePort, startProcess, type Running } from './spawnProcess.ts';

/** `wechat`: WECHAT_APPID, WECHAT_SECRET and WECHAT_API_BASE_URL (the emulator's URL). */
export async function startRawLoginServer(databaseFile: string, wechat: Record<string, string>): Promise<Running> {
  const port = await freePort();
  return startProcess(
    'raw logins',
    path.join(import.meta.dirname, 'references/rawLoginServer.ts'),
    { DATABASE_FILE: databaseFile, PORT: String(port), ...wechat },
    async (url) => (await fetch(`${url}/trpc/auth.check`)).ok,
    port,
  );
}

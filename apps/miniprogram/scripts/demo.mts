// `npm run demo`: the mini-program's client code (the wx.request link, re-login and all) against a running
// `npm start`, with a stand-in `wx` whose wx.login asks the server's WeChat emulator. Prints the whole flow,
// then binds the phone number as the my page's 绑定手机号 button does (a getPhoneNumber code minted at the emulator).
import { createWxClient } from '@wxtrpc/wx-link';
import { createFakeWx } from '@wxtrpc/wx-link/testing';
import { formatFen } from '../src/lib/format.ts';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000/trpc';
const emulatorUrl = process.env.EMULATOR_URL ?? 'http://127.0.0.1:3001';
const user = process.env.DEMO_USER ?? 'demo';

const wx = createFakeWx({ emulatorUrl, user });
const { client, login, session } = createWxClient({ url: apiUrl, wx });

try {
  console.log(`1. auth.check before login     → ${JSON.stringify(await client.auth.check.query())}`);
  const { user: me, expiresAt } = await login();
  console.log(`2. wx.login → auth.login         → user ${me.id} (${me.nickName ?? 'no nickname'}), session until ${expiresAt}`);
  console.log(`   token stored by the client    → ${session.get()!.token.slice(0, 12)}… (only its hash is in the database)`);
  console.log(`3. auth.check                    → ${JSON.stringify(await client.auth.check.query())}`);
  const first = await client.order.list.query({ limit: 5 });
  console.log(`4. order.list (5 per page)       → ${first.items.length} orders${first.nextCursor ? ', more available' : ''}`);
  for (const order of first.items) console.log(`     ${order.createdAt.slice(0, 10)}  ${order.status.padEnd(9)} ${formatFen(order.totalFen).padStart(10)}  ${order.title}`);
  if (first.nextCursor) {
    const second = await client.order.list.query({ limit: 5, cursor: first.nextCursor });
    console.log(`5. order.list next page          → ${second.items.length} more (${second.items.map((o) => o.title).join(', ')})`);
  }
  const [check, recent] = await Promise.all([client.auth.check.query(), client.order.list.query({ limit: 1 })]);
  console.log(
    `6. two calls at once             → ${wx.stats.requests} wx.request tasks so far (the last two shared one batched request): valid=${check.valid}, newest=${recent.items[0]?.title ?? 'none'}`,
  );

  // The my page's <button open-type="getPhoneNumber">: WeChat hands it a one-time code; the emulator mints one.
  const minted = await fetch(`${emulatorUrl}/emulator/phone-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  if (!minted.ok) throw new Error(`emulator /emulator/phone-code: HTTP ${minted.status}`);
  const { code } = (await minted.json()) as { code: string };
  try {
    const bound = await client.account.bindPhone.mutate({ code });
    console.log(`7. getPhoneNumber → bindPhone    → ${bound.phone} (+${bound.phoneCountryCode}; only the server holds the full number)`);
  } catch (error) {
    // 5 bindings per user and hour: a demo run more often than that says so and goes on.
    const reason = (error as { data?: { reason?: string } }).data?.reason;
    if (reason !== 'RATE_LIMITED') throw error;
    console.log(`7. getPhoneNumber → bindPhone    → refused: ${reason} (5 bindings an hour; the number bound before stays)`);
  }
  console.log(`8. account.me                    → ${JSON.stringify(await client.account.me.query())}`);
} catch (error) {
  console.error(`Demo failed: ${error instanceof Error ? error.message : error}\nIs the server running? Start it with \`npm start\` (emulator mode) and run this again.`);
  process.exitCode = 1;
}

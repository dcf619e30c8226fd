// What must never leave the server: session_key and the WeChat secret anywhere, openid in a response,
// a login code in a log, a token's secret in a log, in the database, or in any response but the
// auth.login that issued it, a WeChat access_token in a log or a response (the database holds it, shared
// by every instance), a full phone number in a log or a response (only masked).

/** The secrets a WeChat emulator handed out (its /emulator/issued). */
export interface IssuedSecrets {
  sessionKeys: string[];
  openids: string[];
  /** wx.login codes (still unexpired ones: the emulator forgets the others). */
  codes: string[];
  /** access_tokens from stable_token. */
  accessTokens?: string[];
  /** Every emulated user's phone number (digits), whether bound or not. */
  phoneNumbers?: string[];
}

export interface LeakScanInput {
  logs: string[];
  /** Every response body the server sent. */
  bodies: string[];
  /** The database's contents: the SQLite file, or every PostgreSQL row as text. */
  database: Buffer;
  sessionKeys: string[];
  openids: string[];
  codes?: string[];
  accessTokens?: string[];
  phoneNumbers?: string[];
  /** Tokens whose login responses are not in `bodies` (a spawned server's); checked against logs and database. */
  tokens?: string[];
  /** Unknown for a spawned server's own emulator, whose secret is random. */
  wechatSecret?: string;
}

export function findLeaks({ logs, bodies, database, sessionKeys, openids, codes = [], accessTokens = [], phoneNumbers = [], tokens = [], wechatSecret }: LeakScanInput): string[] {
  const problems: string[] = [];
  const logText = logs.join('\n');
  const databaseText = database.toString('latin1');
  const issuedInBodies = new Set<string>();
  for (const body of bodies) for (const match of body.matchAll(/"token":"[\w-]{20}\.([\w-]{43})"/g)) issuedInBodies.add(match[1]!);

  if (wechatSecret !== undefined && logText.includes(wechatSecret)) problems.push('the WeChat secret is in a log line');
  for (const key of new Set(sessionKeys)) {
    if (logText.includes(key)) problems.push(`a session_key is in a log line (${key.slice(0, 4)}…)`);
    if (bodies.some((body) => body.includes(key))) problems.push(`a session_key is in a response (${key.slice(0, 4)}…)`);
  }
  for (const code of new Set(codes)) {
    if (logText.includes(code)) problems.push(`a login code is in a log line (${code.slice(0, 4)}…)`);
  }
  for (const accessToken of new Set(accessTokens)) {
    if (logText.includes(accessToken)) problems.push(`an access_token is in a log line (${accessToken.slice(0, 4)}…)`);
    if (bodies.some((body) => body.includes(accessToken))) problems.push(`an access_token is in a response (${accessToken.slice(0, 4)}…)`);
  }
  for (const phone of new Set(phoneNumbers)) {
    if (logText.includes(phone)) problems.push(`a full phone number is in a log line (${phone.slice(0, 3)}…)`);
    if (bodies.some((body) => body.includes(phone))) problems.push(`a full phone number is in a response (${phone.slice(0, 3)}…)`);
  }
  for (const openid of new Set(openids)) {
    if (bodies.some((body) => body.includes(openid))) problems.push(`an openid is in a response (${openid.slice(0, 6)}…)`);
  }
  for (const secret of new Set([...issuedInBodies, ...tokens.map((token) => token.split('.')[1]!)])) {
    if (logText.includes(secret)) problems.push(`a token is in a log line (${secret.slice(0, 4)}…)`);
    if (databaseText.includes(secret)) problems.push(`a raw token is in the database (${secret.slice(0, 4)}…)`);
  }
  for (const secret of issuedInBodies) {
    const inBodies = bodies.filter((body) => body.includes(secret)).length;
    if (inBodies !== 1) problems.push(`a token is in ${inBodies} responses, not only the login that issued it (${secret.slice(0, 4)}…)`);
  }
  return problems;
}

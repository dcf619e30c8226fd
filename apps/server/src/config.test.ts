import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const credentials = { WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: '0123456789abcdef0123456789abcdef' };

describe('loadConfig', () => {
  it('has working defaults: emulator mode on the embedded database', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', NODE_ENV: 'development', LOG_LEVEL: 'info', wechatEmulator: true });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.WECHAT_API_BASE_URL).toBe('https://api.weixin.qq.com');
  });

  it('treats empty values (as left by a copied .env.example) as unset', () => {
    expect(loadConfig({ PORT: '', WECHAT_APPID: '', WECHAT_SECRET: ' ' })).toMatchObject({ PORT: 3000, wechatEmulator: true });
  });

  it('uses WeChat for real when credentials are set', () => {
    expect(loadConfig({ ...credentials, WECHAT_API_BASE_URL: 'http://127.0.0.1:4000' })).toMatchObject({
      wechatEmulator: false,
      WECHAT_API_BASE_URL: 'http://127.0.0.1:4000',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ NODE_ENV: 'prod' }, /NODE_ENV/],
    [{ WECHAT_APPID: 'nope', WECHAT_SECRET: credentials.WECHAT_SECRET }, /WECHAT_APPID: must be your mini-program AppID/],
    [{ WECHAT_APPID: credentials.WECHAT_APPID, WECHAT_SECRET: 'short' }, /WECHAT_SECRET: must be your mini-program AppSecret/],
    [{ WECHAT_APPID: credentials.WECHAT_APPID }, /set both WECHAT_APPID and WECHAT_SECRET \(only WECHAT_APPID is set\)/],
    [{ WECHAT_API_BASE_URL: 'ftp://x' }, /WECHAT_API_BASE_URL/],
    [{ CORS_ORIGINS: 'https://ok.example, not a url' }, /CORS_ORIGINS/],
    [{ NODE_ENV: 'production' }, /NODE_ENV=production needs real WeChat credentials; set WECHAT_APPID and WECHAT_SECRET/],
  ])('rejects %j, saying what to set', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a secret in its messages', () => {
    expect(() => loadConfig({ WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: 'secret-value-that-is-wrong' })).not.toThrow(/secret-value/);
  });

  it('bounds requests and connections by default, and takes other bounds', () => {
    expect(loadConfig({})).toMatchObject({ REQUEST_TIMEOUT_MS: 10_000, HEADERS_TIMEOUT_MS: 10_000, KEEP_ALIVE_TIMEOUT_MS: 72_000, MAX_CONNECTIONS: 10_000 });
    expect(loadConfig({ REQUEST_TIMEOUT_MS: '30000', HEADERS_TIMEOUT_MS: '5000', KEEP_ALIVE_TIMEOUT_MS: '5000', MAX_CONNECTIONS: '500' })).toMatchObject({
      REQUEST_TIMEOUT_MS: 30_000,
      HEADERS_TIMEOUT_MS: 5_000,
      KEEP_ALIVE_TIMEOUT_MS: 5_000,
      MAX_CONNECTIONS: 500,
    });
  });

  it.each([
    [{ REQUEST_TIMEOUT_MS: '0' }, /REQUEST_TIMEOUT_MS/],
    [{ HEADERS_TIMEOUT_MS: 'soon' }, /HEADERS_TIMEOUT_MS/],
    [{ KEEP_ALIVE_TIMEOUT_MS: '-1' }, /KEEP_ALIVE_TIMEOUT_MS/],
    [{ MAX_CONNECTIONS: '0' }, /MAX_CONNECTIONS/],
    [{ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '8000' }, /HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS/],
  ])('rejects the bound %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('parses the CORS allowlist', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });
});

describe('loadConfig: WeChat over plain HTTP', () => {
  const production = { ...credentials, NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://api.example.com' };

  it.each(['https://api.weixin.qq.com', 'http://127.0.0.1:4000', 'http://127.8.9.10', 'http://localhost:4000', 'http://[::1]:4000'])(
    'accepts %s in production (https, or a loopback host)',
    (url) => {
      expect(loadConfig({ ...production, WECHAT_API_BASE_URL: url }).WECHAT_API_BASE_URL).toBe(url);
    },
  );

  it('refuses another http host in production, in one line naming the variable and what to set', () => {
    const env = { ...production, WECHAT_API_BASE_URL: 'http://wechat-egress.internal:8080' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/^[^\n]*WECHAT_API_BASE_URL[^\n]*https[^\n]*WECHAT_ALLOW_INSECURE_HTTP=true[^\n]*$/);
  });

  it('accepts it with WECHAT_ALLOW_INSECURE_HTTP=true (an internal egress proxy), and outside production', () => {
    const proxy = { WECHAT_API_BASE_URL: 'http://wechat-egress.internal:8080' };
    expect(loadConfig({ ...production, ...proxy, WECHAT_ALLOW_INSECURE_HTTP: 'true' })).toMatchObject({ ...proxy, WECHAT_ALLOW_INSECURE_HTTP: true });
    expect(loadConfig({ ...credentials, ...proxy })).toMatchObject({ ...proxy, WECHAT_ALLOW_INSECURE_HTTP: false });
    expect(() => loadConfig({ ...production, ...proxy, WECHAT_ALLOW_INSECURE_HTTP: 'yes' })).toThrow(/WECHAT_ALLOW_INSECURE_HTTP/);
  });
});

describe('loadConfig: sessions', () => {
  it('caps sessions per user at 20 by default, at least 1', () => {
    expect(loadConfig({}).SESSION_MAX_PER_USER).toBe(20);
    expect(loadConfig({ SESSION_MAX_PER_USER: '1' }).SESSION_MAX_PER_USER).toBe(1);
    expect(() => loadConfig({ SESSION_MAX_PER_USER: '0' })).toThrow(/SESSION_MAX_PER_USER/);
    expect(() => loadConfig({ SESSION_MAX_PER_USER: '2.5' })).toThrow(/SESSION_MAX_PER_USER/);
  });
});

describe('loadConfig: the database', () => {
  it('accepts SQLite files and PostgreSQL URLs with pool settings', () => {
    expect(loadConfig({ DATABASE_URL: 'file:./x.db' }).DATABASE_URL).toBe('file:./x.db');
    expect(
      loadConfig({ DATABASE_URL: 'postgresql://app:pw@db:5432/app', DATABASE_POOL_SIZE: '20', DATABASE_STATEMENT_TIMEOUT_MS: '2000', DATABASE_SSL: 'verify-full' }),
    ).toMatchObject({ DATABASE_POOL_SIZE: 20, DATABASE_STATEMENT_TIMEOUT_MS: 2000, DATABASE_SSL: 'verify-full' });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://u:p@h/db' }, /DATABASE_URL must be a SQLite "file:" URL .* or a postgresql:\/\/ URL/],
    [{ DATABASE_URL: 'postgresql://u:p@[oops' }, /DATABASE_URL is not a valid postgresql:\/\/ URL/],
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE/],
    [{ DATABASE_SSL: 'maybe' }, /DATABASE_SSL/],
  ])('rejects %j, saying what to set', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('PUBLIC_BASE_URL', () => {
  it('is required in production, in one line saying what to set', () => {
    const env = { ...credentials, NODE_ENV: 'production' };
    expect(() => loadConfig(env)).toThrow(/^Invalid configuration: NODE_ENV=production needs PUBLIC_BASE_URL, the https:\/\/ address clients reach this server at/);
    expect(loadConfig({ ...env, PUBLIC_BASE_URL: 'https://api.example.com/' }).PUBLIC_BASE_URL).toBe('https://api.example.com');
  });
});

// GET /metrics after real calls: the series, their labels, and who may read them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('on METRICS_PORT', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_PORT: '0', RATE_LIMIT_PER_MINUTE: '20', TRUST_PROXY: '1' } });
  });
  afterAll(() => server.close());

  it('counts procedure calls by code with a latency histogram, rate-limit refusals, and process metrics', async () => {
    const { token } = await server.login('metrics-user');
    await server.client(token).auth.check.query();
    await server.client(token).order.list.query({ limit: 2 });
    await server
      .client(token)
      .order.list.query({ limit: 0 })
      .catch(() => {});
    await server
      .client(null)
      .order.list.query({})
      .catch(() => {});
    for (let i = 0; i < 21; i++) await fetch(`${server.url}/trpc/auth.check`, { headers: { 'x-forwarded-for': '198.51.100.1' } });

    expect(server.app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.app.metricsUrl}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'wxtrpc_procedure_calls_total{procedure="auth.login",code="OK"}')).toBe(1);
    expect(sample(text, 'wxtrpc_procedure_calls_total{procedure="order.list",code="OK"}')).toBe(1);
    expect(sample(text, 'wxtrpc_procedure_calls_total{procedure="order.list",code="BAD_REQUEST"}')).toBe(1);
    expect(sample(text, 'wxtrpc_procedure_calls_total{procedure="order.list",code="UNAUTHORIZED"}')).toBe(1);
    expect(sample(text, 'wxtrpc_procedure_duration_seconds_count{procedure="order.list"}')).toBe(3);
    expect(sample(text, 'wxtrpc_procedure_duration_seconds_bucket{le="+Inf",procedure="auth.check"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'wxtrpc_rate_limited_total{bucket="requests"}')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).not.toContain(token.split('.')[1]!);
  });

  it('is not served on the main port', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });
});

describe('with METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: 'scrape-secret-0123456789' } });
  });
  afterAll(() => server.close());

  it('answers only requests bearing the token, on the main port', async () => {
    const scrape = (authorization?: string) => fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
    expect((await scrape('Bearer scrape-secret-0123456789')).status).toBe(200);
    for (const wrong of [undefined, 'Bearer scrape-secret-012345678', 'Bearer nope', 'scrape-secret-0123456789']) expect((await scrape(wrong)).status).toBe(404);
    expect(server.app.metricsUrl).toBeNull();
  });
});

describe('with neither', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('does not serve /metrics, and says so once at start-up', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect(server.logs.filter((line) => line.includes('metrics are off'))).toHaveLength(1);
  });
});

describe('WeChat, session and access-token series', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_PORT: '0' } });
  });
  afterAll(() => server.close());

  it('counts WeChat calls by endpoint and errcode, access-token fetches by reason, per-user limit refusals, sessions created and ended', async () => {
    const { token } = await server.login('metrics-wechat');
    const client = server.client(token);
    const phoneCode = async () => ((await server.emulatorPost('/emulator/phone-code', { user: 'metrics-wechat' })) as { code: string }).code;
    for (let i = 0; i < 5; i++) await client.account.bindPhone.mutate({ code: await phoneCode() });
    await expect(client.account.bindPhone.mutate({ code: await phoneCode() })).rejects.toThrow(/Too many phone number bindings/); // 5 an hour
    // WeChat rejects the token (40001) yet hands it out again in normal mode: one refetch, then one force refresh.
    await server.emulatorPost('/emulator/access-token/revoke', { stillIssued: true });
    await client.account.updateProfile.mutate({ nickName: '度量' });
    await client.auth.logout.mutate();

    const text = await (await fetch(`${server.app.metricsUrl}/metrics`)).text();
    const wechat = (endpoint: string, outcome: string) => sample(text, `wxtrpc_wechat_calls_total{endpoint="${endpoint}",outcome="${outcome}"}`);
    expect(wechat('sns/jscode2session', 'ok')).toBe(1);
    expect(wechat('cgi-bin/stable_token', 'ok')).toBe(3);
    expect(wechat('wxa/business/getuserphonenumber', 'ok')).toBe(5);
    expect(sample(text, 'wxtrpc_rate_limited_total{bucket="bind-phone"}')).toBe(1);
    expect(wechat('wxa/msg_sec_check', '40001')).toBe(1);
    expect(wechat('wxa/msg_sec_check', 'ok')).toBe(1);
    const fetches = (reason: string) => sample(text, `wxtrpc_access_token_fetches_total{reason="${reason}"}`);
    expect([fetches('missing'), fetches('rejected'), fetches('force'), fetches('ahead')]).toEqual([1, 1, 1, undefined]);
    expect(sample(text, 'wxtrpc_procedure_calls_total{procedure="auth.login",code="OK"}')).toBe(1);
    expect(sample(text, 'wxtrpc_procedure_calls_total{procedure="account.bindPhone",code="TOO_MANY_REQUESTS"}')).toBe(1);
    expect(sample(text, 'wxtrpc_sessions_created_total')).toBe(1);
    expect(sample(text, 'wxtrpc_sessions_ended_total{reason="logout"}')).toBe(1);
    expect(text).not.toContain(token.split('.')[1]!);
  });
});

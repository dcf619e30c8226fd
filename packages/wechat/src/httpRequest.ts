import http from 'node:http';
import https from 'node:https';

export interface HttpRequestOptions {
  method?: 'GET' | 'POST';
  /** Sent as an application/json body. */
  json?: unknown;
  /** Total, from sending to the last byte of the answer. */
  timeoutMs: number;
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  body: string;
}

export class HttpTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * One request with a total timeout and a size cap, on keep-alive agents. Hand-written over node:http rather
 * than fetch: under a burst of logins fetch's web streams kept ~20 MB more memory resident (docs/benchmarks.md).
 */
export function httpRequest(url: URL, { method = 'GET', json, timeoutMs, maxBytes = 64 * 1024 }: HttpRequestOptions): Promise<HttpResponse> {
  const payload = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
  if (payload) Object.assign(headers, { 'content-type': 'application/json', 'content-length': payload.length });
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, { method, agent: agents[url.protocol as keyof typeof agents], headers }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) request.destroy(new Error('response too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(new HttpTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(payload);
  });
}

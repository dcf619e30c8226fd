import http from 'node:http';
import https from 'node:https';

export interface HttpGetResult {
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
 * GET with a total timeout, on keep-alive agents. Hand-written over node:http rather than fetch: under a
 * burst of logins fetch's web streams kept ~20 MB more memory resident (docs/benchmarks.md).
 */
export function httpGet(url: URL, timeoutMs: number, maxBytes = 64 * 1024): Promise<HttpGetResult> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(url, { agent: agents[url.protocol as keyof typeof agents], headers: { accept: 'application/json' } }, (response) => {
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
  });
}

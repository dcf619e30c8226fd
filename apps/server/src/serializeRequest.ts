import type { FastifyRequest } from 'fastify';

const redacted = '[redacted]';

const decodeKey = (key: string) => {
  try {
    return decodeURIComponent(key.replaceAll('+', ' '));
  } catch {
    return key;
  }
};

/**
 * The URL with the value of every `input` query parameter replaced. Keys are compared decoded, as the query
 * parser sees them, so `%69nput=` is redacted too.
 */
export function redactInput(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const key = pair.split('=', 1)[0]!;
      return decodeKey(key) === 'input' ? `${key}=${redacted}` : pair;
    });
  return `${url.slice(0, start + 1)}${pairs.join('&')}`;
}

/**
 * The `req` of Fastify's request log lines: Fastify's own fields, with the `input` query parameter redacted
 * from the URL. A GET carries a procedure's input there, and a client may send even a mutation's input (a login
 * code) that way; no input reaches a log.
 */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactInput(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket.remotePort,
  };
}

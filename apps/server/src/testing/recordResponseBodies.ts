// Every response body a Node HTTP server sends, captured where it is written, so tests need not read
// responses through any particular client for the leak scan to see them.
import type { Server, ServerResponse } from 'node:http';

/** Appends each response's body to `bodies` when the response ends (or, cut short, when its connection closes). */
export function recordResponseBodies(server: Server, bodies: string[]): void {
  // Ahead of the server's own handler, so every response is wrapped before anything is written to it.
  server.prependListener('request', (_request, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding: unknown) => {
      if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      bodies.push(Buffer.concat(chunks).toString('utf8'));
    };

    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof response.write;
    response.end = ((...args: unknown[]) => {
      if (typeof args[0] !== 'function') keep(args[0], args[1]);
      record();
      return end(...args);
    }) as typeof response.end;
    response.once('close', () => {
      if (chunks.length > 0) record();
    });
  });
}

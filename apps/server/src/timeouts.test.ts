// Slow and stalled clients cannot hold the server's sockets: requests must arrive in bounded time, idle
// keep-alive connections close, and beyond MAX_CONNECTIONS new connections are closed at once.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/startTestServer.ts';

const timeoutMs = 1_000;
// Node notices an expired request at its next connections check (every second here), and the machine is busy.
const closeBound = timeoutMs + 1_000 + 1_000;
const giveUpMs = 6_000;

let server: TestServer;
let port: number;
beforeAll(async () => {
  server = await startTestServer({ env: { REQUEST_TIMEOUT_MS: String(timeoutMs), HEADERS_TIMEOUT_MS: String(timeoutMs), KEEP_ALIVE_TIMEOUT_MS: '500' } });
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

interface RawClient {
  socket: net.Socket;
  /** What the server sent before closing. */
  received(): string;
  /** Milliseconds from connecting until the server closed the socket, or null if it was still open after `giveUpMs`. */
  closedAfter: Promise<number | null>;
}

/** A raw TCP client that sends `request` (all of it, or as `send` dictates) and then nothing more. */
function connect(targetPort: number, send: (socket: net.Socket) => void): RawClient {
  const started = performance.now();
  let received = '';
  const socket = net.connect(targetPort, '127.0.0.1', () => send(socket));
  socket.on('data', (chunk) => (received += chunk));
  socket.on('error', () => {}); // a reset counts as closed
  const closedAfter = new Promise<number | null>((resolve) => {
    const giveUp = setTimeout(() => {
      resolve(null);
      socket.destroy();
    }, giveUpMs);
    socket.once('close', () => {
      clearTimeout(giveUp);
      resolve(performance.now() - started);
    });
  });
  return { socket, received: () => received, closedAfter };
}

const loginHead = (contentLength: number) => `POST /trpc/auth.login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;
const stalledBody = () => connect(port, (socket) => socket.write(loginHead(1_000)));
const stalledHeader = () => connect(port, (socket) => socket.write('GET /trpc/auth.check HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthori'));

describe('request timeouts', () => {
  it('closes a request whose body stalls (0 of 1,000 bytes sent) within REQUEST_TIMEOUT_MS, answering 408', async () => {
    const client = stalledBody();
    const closedAfter = await client.closedAfter;
    expect(closedAfter, 'still open').not.toBeNull();
    expect(closedAfter).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(closedAfter).toBeLessThan(closeBound);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a request whose body trickles in a byte at a time, though it never goes quiet for long', async () => {
    let sent = 0;
    const client = connect(port, (socket) => {
      socket.write(loginHead(1_000));
      const drip = setInterval(() => {
        if (socket.destroyed) return clearInterval(drip);
        socket.write('x');
        sent++;
      }, 100);
    });
    const closedAfter = await client.closedAfter;
    expect(closedAfter, 'still open').not.toBeNull();
    expect(closedAfter).toBeLessThan(closeBound);
    expect(sent).toBeLessThan(1_000);
  });

  it('closes a connection whose headers stall within HEADERS_TIMEOUT_MS', async () => {
    const client = stalledHeader();
    const closedAfter = await client.closedAfter;
    expect(closedAfter, 'still open').not.toBeNull();
    expect(closedAfter).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(closedAfter).toBeLessThan(closeBound);
  });

  it('closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const client = connect(port, (socket) => socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    const closedAfter = await client.closedAfter;
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 .*keep-alive/s);
    expect(closedAfter, 'still open').not.toBeNull();
    expect(closedAfter).toBeGreaterThanOrEqual(500);
    // Node keeps the socket a second longer than the Keep-Alive: timeout it announces, so clients close first.
    expect(closedAfter).toBeLessThan(500 + 1_000 + 1_000);
  });

  it('keeps serving normal requests while 300 stalled ones wait, and closes every stalled one in time', async () => {
    const stalled = Array.from({ length: 300 }, (_, i) => (i % 2 ? stalledBody() : stalledHeader()));
    const { token } = await server.login('patient');
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await expect(server.client(token).auth.check.query()).resolves.toMatchObject({ valid: true });
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(Math.max(...latencies)).toBeLessThan(timeoutMs);
    const closed = await Promise.all(stalled.map((client) => client.closedAfter));
    expect(closed.filter((after) => after === null || after >= closeBound)).toEqual([]);
  });
});

describe('MAX_CONNECTIONS', () => {
  let capped: TestServer;
  beforeAll(async () => {
    capped = await startTestServer({ env: { MAX_CONNECTIONS: '20' } });
  });
  afterAll(() => capped?.close());

  const connections = () => new Promise<number>((resolve, reject) => capped.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  const waitForConnections = async (count: number) => {
    for (let i = 0; i < 200 && (await connections()) !== count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await connections()).toBe(count);
  };
  const health = () =>
    fetch(`${capped.url}/healthz`, { headers: { connection: 'close' } }).then(
      (response) => response.status,
      () => 'failed',
    );

  it('closes connection 21 at once while 20 are open, and serves new ones once they close', async () => {
    const cappedPort = Number(new URL(capped.url).port);
    const open = Array.from({ length: 20 }, () => connect(cappedPort, () => {}));
    await waitForConnections(20);

    const extra = connect(cappedPort, (socket) => socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    const closedAfter = await extra.closedAfter;
    expect(closedAfter, 'connection 21 stayed open').not.toBeNull();
    expect(closedAfter).toBeLessThan(500);
    expect(extra.received()).toBe('');
    expect(await health()).toBe('failed');

    for (const client of open) client.socket.destroy();
    await waitForConnections(0);
    expect(await health()).toBe(200);
  });
});

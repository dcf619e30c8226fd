import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errorAnswer } from './errorAnswer.ts';

export type Fault =
  | { kind: 'latency'; latencyMs: number }
  | { kind: 'busy' } // errcode -1
  | { kind: 'http500' }
  | { kind: 'garbage' }
  | { kind: 'empty' }
  | { kind: 'errcode'; errcode: number; errmsg?: string }
  | { kind: 'hang' } // never answers (until the client gives up)
  | { kind: 'drop' }; // closes the connection without answering

export const faultEndpoints = ['jscode2session', 'stable_token', 'getuserphonenumber', 'msg_sec_check'] as const;
export type FaultEndpoint = (typeof faultEndpoints)[number];

const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), latencyMs: z.number().int().min(0).max(120_000) }),
  z.object({ kind: z.literal('busy') }),
  z.object({ kind: z.literal('http500') }),
  z.object({ kind: z.literal('garbage') }),
  z.object({ kind: z.literal('empty') }),
  z.object({ kind: z.literal('errcode'), errcode: z.number().int(), errmsg: z.string().optional() }),
  z.object({ kind: z.literal('hang') }),
  z.object({ kind: z.literal('drop') }),
]);

/** The body of POST /emulator/faults: a fault for the next `count` requests (default: all until cleared) to `endpoint` (default jscode2session). */
export const faultRequestSchema = z
  .object({ count: z.number().int().min(1).max(1_000_000).default(1_000_000), endpoint: z.enum(faultEndpoints).default('jscode2session') })
  .and(faultSchema);

/** Queues of injected faults per endpoint, played one per request. */
export function createFaultInjector() {
  let queues = new Map<FaultEndpoint, { fault: Fault; remaining: number }[]>();
  const hanging = new Set<() => void>();

  const next = (endpoint: FaultEndpoint): Fault | undefined => {
    const queue = queues.get(endpoint);
    const entry = queue?.[0];
    if (!entry) return undefined;
    if (--entry.remaining <= 0) queue.shift();
    return entry.fault;
  };

  return {
    add(endpoint: FaultEndpoint, fault: Fault, count: number) {
      queues.set(endpoint, [...(queues.get(endpoint) ?? []), { fault, remaining: count }]);
    },
    clear() {
      queues = new Map();
    },
    /** Lets every hanging request go (on close). */
    releaseHanging() {
      for (const release of hanging) release();
    },
    /** Plays the next fault for `endpoint`: what to answer instead, or undefined to answer normally (after any latency). */
    async play(endpoint: FaultEndpoint, reply: FastifyReply): Promise<unknown> {
      const fault = next(endpoint);
      switch (fault?.kind) {
        case undefined:
          return undefined;
        case 'latency':
          await sleep(fault.latencyMs);
          return undefined;
        case 'busy':
          return errorAnswer(-1, 'system error');
        case 'http500':
          return reply.code(500).type('text/html').send('<html><body>500 Internal Server Error</body></html>');
        case 'garbage':
          return reply.type('application/json').send('{"openid": "oAbC", "session_');
        case 'empty':
          return reply.type('application/json').send('');
        case 'errcode':
          return { errcode: String(fault.errcode), errmsg: fault.errmsg ?? 'emulated error' };
        case 'hang':
          // Holds the request until the emulator closes (or a minute passes); the client must time out first.
          await new Promise<void>((resolve) => {
            hanging.add(resolve);
            setTimeout(resolve, 60_000).unref();
          });
          return reply.code(504).send();
        case 'drop':
          reply.hijack();
          reply.raw.socket?.destroy();
          return reply;
      }
    },
  };
}

export type FaultInjector = ReturnType<typeof createFaultInjector>;

import type { FastifyRequest } from 'fastify';

/** The origin the client used to reach us (behind a trusted proxy, the forwarded protocol and host). */
export const publicOrigin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

export { appRouter, type AppRouter } from './appRouter.ts';
export { createContextFactory, type ApiServices, type Context } from './context.ts';
export { createSessionService, type SessionService, type ValidSession } from './sessions/createSessionService.ts';
export { ApiError, type ApiErrorReason } from './ApiError.ts';
export type { OrderOnWire, OrderPage } from './orders/listOrders.ts';
export { maxBatchSize, maxBatchUrlLength } from './limits.ts';
export { encodeOrderCursor } from './orders/orderCursor.ts';
export { generateSessionToken, hashSecret } from './sessions/sessionToken.ts';

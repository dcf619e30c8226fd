// Prisma Client and the Prisma-backed store (kept apart from index.ts so the SQLite path never loads it).
export { Prisma, PrismaClient } from './generated/prisma/client.ts';
export { createPrismaStore } from './prismaStore.ts';
export { openPrismaSqliteStore } from './openPrismaSqliteStore.ts';

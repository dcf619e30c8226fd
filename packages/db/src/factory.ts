// Every row that tests, the demo seed and the large seed create is built here: a new NOT NULL column is
// given its default in one place. Row builders return complete rows (every column); `create*` writes
// them through Prisma Client.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from './Database.ts';
import type { Order, OrderItem, OrderStatus, Session, User } from './generated/prisma/client.ts';

export type UserRow = User;
export type SessionRow = Session;
export type OrderRow = Order;
export type OrderItemRow = OrderItem;

export const orderStatuses = ['PENDING', 'PAID', 'SHIPPED', 'COMPLETED', 'CANCELLED'] as const satisfies readonly OrderStatus[];

const day = 24 * 3_600_000;

export function userRow(overrides: Partial<UserRow> = {}): UserRow {
  const createdAt = overrides.createdAt ?? new Date();
  return {
    id: randomUUID(),
    openid: `factory-${randomUUID()}`,
    unionid: null,
    sessionKey: '', // no WeChat login yet
    nickName: null,
    avatarUrl: null,
    avatarId: null,
    phoneNumber: null,
    phoneCountryCode: null,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

/** A session row. Its secret is random and not kept: log in through the API for a usable token. */
export function sessionRow(userId: string, overrides: Partial<SessionRow> = {}): SessionRow {
  const createdAt = overrides.createdAt ?? new Date();
  return {
    id: randomBytes(15).toString('base64url'),
    secretHash: new Uint8Array(randomBytes(32)),
    userId,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + 30 * day),
    lastUsedAt: createdAt,
    ...overrides,
  };
}

export function orderRow(userId: string, overrides: Partial<OrderRow> = {}): OrderRow {
  return {
    id: randomUUID(),
    userId,
    title: '商品',
    totalFen: 100,
    status: 'PENDING',
    createdAt: new Date(),
    ...overrides,
  };
}

/**
 * `count` items (1 or more) whose unitPriceFen × quantity add up to the order's totalFen exactly: the
 * total is split in near-equal integer shares, and a share that divides by 2 is sold as two units.
 */
export function orderItemRows(order: Pick<OrderRow, 'id' | 'title' | 'totalFen'>, count = 1): OrderItemRow[] {
  const n = Math.max(1, Math.min(count, order.totalFen || 1));
  const share = Math.floor(order.totalFen / n);
  return Array.from({ length: n }, (_, i) => {
    const amount = i === n - 1 ? order.totalFen - share * (n - 1) : share;
    const quantity = n > 1 && amount % 2 === 0 ? 2 : 1;
    return {
      id: randomUUID(),
      orderId: order.id,
      position: i,
      title: n === 1 ? order.title : `${order.title} · ${i + 1}`,
      unitPriceFen: amount / quantity,
      quantity,
    };
  });
}

export async function createUser(db: Db, overrides: Partial<UserRow> = {}): Promise<UserRow> {
  const row = userRow(overrides);
  await db.user.create({ data: row });
  return row;
}

export async function createSession(db: Db, userId: string, overrides: Partial<SessionRow> = {}): Promise<SessionRow> {
  const row = sessionRow(userId, overrides);
  await db.session.create({ data: row });
  return row;
}

export interface CreateOrdersOptions {
  /** Items per order (default 1), by the order's index. */
  items?: (index: number) => number;
}

/** Writes the orders (each from `orderRow(userId, overrides[i])`) with their items, in one transaction. */
export async function createOrders(db: Db, userId: string, overrides: Partial<OrderRow>[], options: CreateOrdersOptions = {}): Promise<OrderRow[]> {
  const orders = overrides.map((override) => orderRow(userId, override));
  const items = orders.flatMap((order, i) => orderItemRows(order, options.items?.(i) ?? 1));
  await db.$transaction([db.order.createMany({ data: orders }), db.orderItem.createMany({ data: items })]);
  return orders;
}

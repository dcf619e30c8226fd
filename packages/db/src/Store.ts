// What the API needs from the database, as one small interface with two implementations:
// sqliteStore.ts (prepared better-sqlite3 statements, the embedded default and the fast path) and
// prismaStore.ts (Prisma Client, for PostgreSQL and as the reference the benchmarks compare against).
// Both pass the same contract tests (storeContract.test.ts).

export type OrderStatus = 'PENDING' | 'PAID' | 'SHIPPED' | 'COMPLETED' | 'CANCELLED';

export interface PublicUser {
  id: string;
  nickName: string | null;
  avatarUrl: string | null;
}

export interface StoredSession {
  id: string;
  userId: string;
  secretHash: Uint8Array;
  expiresAt: Date;
  lastUsedAt: Date;
  user: PublicUser;
}

export interface NewSession {
  id: string;
  secretHash: Uint8Array;
  createdAt: Date;
  expiresAt: Date;
}

export interface LoginWrite {
  openid: string;
  unionid: string | null;
  sessionKey: string;
  /** Only the fields given are written; absent ones keep their stored value. */
  profile: { nickName?: string | undefined; avatarUrl?: string | undefined };
  /** Used if this openid is new. */
  newUserId: string;
  now: Date;
  session: NewSession;
}

export interface OrderRow {
  id: string;
  title: string;
  totalFen: number;
  status: OrderStatus;
  createdAt: Date;
}

export interface OrderPageQuery {
  userId: string;
  /** Rows to read (the caller asks for one more than it shows, to know whether a next page exists). */
  take: number;
  /** Start strictly after this (createdAt, id), newest first. */
  after?: { createdAt: Date; id: string } | undefined;
  status?: OrderStatus | undefined;
}

export interface Store {
  readonly provider: 'sqlite' | 'postgresql';
  /** The session with its user, or null. */
  findSession(id: string): Promise<StoredSession | null>;
  /** Upserts the user by openid (keeping the latest session_key) and creates the session, atomically. */
  login(write: LoginWrite): Promise<PublicUser>;
  touchSession(id: string, lastUsedAt: Date): Promise<void>;
  renewSession(id: string, expiresAt: Date, lastUsedAt: Date): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<number>;
  listOrders(query: OrderPageQuery): Promise<OrderRow[]>;
  countUsers(): Promise<number>;
  /** Inserts a user with orders (demo and test data). */
  insertUserWithOrders(user: { id: string; openid: string; nickName: string | null; createdAt: Date }, orders: OrderRow[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Unique violations are told apart by field on both databases (their adapters name them differently).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './Database.ts';
import type { DatabaseLocation } from './databaseUrl.ts';
import { createUser } from './factory.ts';
import { isUniqueViolation } from './isUniqueViolation.ts';
import { applyMigrations } from './migrations.ts';
import { openDatabase } from './openDatabase.ts';
import { createTestDatabase, postgresSkipNotice, testPostgresUrl } from './testing/postgresTestDatabase.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wxtrpc-unique-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

type Opened = { location: DatabaseLocation; drop?: () => Promise<void> };
const databases: [string, () => Promise<Opened>][] = [['SQLite', async () => ({ location: { provider: 'sqlite', file: path.join(dir, 'unique.db') } })]];
if (testPostgresUrl) {
  databases.push([
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      return { location: { provider: 'postgresql', url: database.url }, drop: database.drop };
    },
  ]);
} else {
  console.warn(postgresSkipNotice);
}

describe.each(databases)('isUniqueViolation on %s', (_name, open) => {
  let opened: Opened;
  let database: Database;
  beforeAll(async () => {
    opened = await open();
    await applyMigrations(opened.location);
    database = await openDatabase(opened.location);
  });
  afterAll(async () => {
    await database?.close();
    await opened?.drop?.();
  });

  const failure = (call: Promise<unknown>) =>
    call.then(
      () => expect.fail('expected a unique violation'),
      (error: unknown) => error,
    );

  it('names the field that collided', async () => {
    const { db } = database;
    const held = await createUser(db, { unionid: 'u-held' });
    const onUnionid = await failure(createUser(db, { unionid: 'u-held' }));
    expect([isUniqueViolation(onUnionid, 'User', 'unionid'), isUniqueViolation(onUnionid, 'User', 'openid')]).toEqual([true, false]);
    const onOpenid = await failure(createUser(db, { openid: held.openid }));
    expect([isUniqueViolation(onOpenid, 'User', 'openid'), isUniqueViolation(onOpenid, 'User', 'unionid')]).toEqual([true, false]);
  });

  it('is false for anything else', () => {
    expect(isUniqueViolation(new Error('P2002'), 'User', 'openid')).toBe(false);
    expect(isUniqueViolation(undefined, 'User', 'openid')).toBe(false);
  });
});

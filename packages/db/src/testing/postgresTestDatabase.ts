// A fresh, empty PostgreSQL database per test file on the server TEST_POSTGRES_URL names
// (packages/db/scripts/with-postgres.sh starts one; CI always does).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testPostgresUrl = process.env.TEST_POSTGRES_URL || undefined;

/** Printed by PostgreSQL suites that skip, so a skip is never silent. */
export const postgresSkipNotice =
  'PostgreSQL tests SKIPPED: TEST_POSTGRES_URL is not set. Run `npm run test:postgres` (starts a throwaway PostgreSQL) to include them; CI always does.';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(serverUrl = testPostgresUrl): Promise<TestDatabase> {
  if (!serverUrl) throw new Error(postgresSkipNotice);
  const name = `wxtrpc_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

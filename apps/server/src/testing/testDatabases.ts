// The databases a suite runs on: SQLite always, PostgreSQL when TEST_POSTGRES_URL names a server.
import { createTestDatabase, postgresSkipNotice, testPostgresUrl } from '@wxtrpc/db/testing';

export interface OpenedTestDatabase {
  /** Extra environment for startTestServer (none for its own SQLite file). */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const testDatabases: [name: string, open: () => Promise<OpenedTestDatabase>][] = [['SQLite', async () => ({ env: {}, drop: async () => {} })]];
if (testPostgresUrl) {
  testDatabases.push([
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url }, drop: database.drop };
    },
  ]);
} else {
  console.warn(postgresSkipNotice);
}

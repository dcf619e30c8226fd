// A PostgreSQL driver adapter with no server behind it, for schema-engine work that never reads a database
// (diffing one datamodel against another). The engine still connects when it starts and asks one question;
// this answers it as a fresh PostgreSQL 15 database would and refuses everything else, loudly.
import { ColumnTypeEnum, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory, type SqlQuery, type SqlResultSet } from '@prisma/driver-adapter-utils';

/**
 * The one query the schema engine (7.10) sends on connect; its argument is the schema name, "public". The
 * answer says that schema exists, as in a fresh database (otherwise the engine would CREATE SCHEMA it).
 */
const connectQuery = "SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = $1), version(), current_setting('server_version_num')::integer as numeric_version;";

/** "offline PostgreSQL adapter: unexpected query: …": whatever asked needs a real server. */
const unexpected = (what: string) => new Error(`offline PostgreSQL adapter: unexpected ${what}`);

async function queryRaw({ sql, args }: SqlQuery): Promise<SqlResultSet> {
  if (sql !== connectQuery) throw unexpected(`query: ${sql}`);
  return {
    columnNames: ['exists', 'version', 'numeric_version'],
    columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
    rows: [[args[0] === 'public', 'PostgreSQL 15.0 (offline, no server)', 150000]],
  };
}

const adapterName = 'offline-postgres';

export const offlinePostgresAdapter: SqlMigrationAwareDriverAdapterFactory = {
  provider: 'postgres',
  adapterName,
  connect: async (): Promise<SqlDriverAdapter> => ({
    provider: 'postgres',
    adapterName,
    queryRaw,
    executeRaw: async ({ sql }) => {
      throw unexpected(`query: ${sql}`);
    },
    executeScript: async (script) => {
      throw unexpected(`query: ${script}`);
    },
    startTransaction: async () => {
      throw unexpected('transaction');
    },
    dispose: async () => {},
  }),
  connectToShadowDb: async () => {
    throw unexpected('shadow database');
  },
};

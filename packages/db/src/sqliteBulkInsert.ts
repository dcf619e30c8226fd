import type Sqlite from 'better-sqlite3';

type Row = Record<string, unknown>;

const toSqlite = (value: unknown) => (value instanceof Date ? value.getTime() : value instanceof Uint8Array ? Buffer.from(value) : value);

/**
 * A prepared INSERT for complete rows from the factory's row builders (columns taken from the row, so it
 * never goes out of step with the schema), storing values as Prisma's SQLite adapter does (dates as epoch
 * ms). For bulk data only (the large seed, the benchmark's sessions), where Prisma's createMany is too slow.
 */
export function prepareBulkInsert<T extends object>(sqlite: Sqlite.Database, table: string, sample: T): (row: T) => void {
  const columns = Object.keys(sample);
  const statement = sqlite.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  return (row) => {
    statement.run(columns.map((column) => toSqlite((row as Row)[column])));
  };
}

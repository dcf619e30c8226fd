// PostgreSQL for the bench: which server (BENCH_POSTGRES_URL, else TEST_POSTGRES_URL, else a throwaway
// cluster from packages/db/scripts/with-postgres.sh when PostgreSQL is installed; BENCH_POSTGRES_URL=off
// skips PostgreSQL), and the bench database on
// it: the SQLite bench database's users, sessions, orders and items copied row for row (the factory's rows,
// so the same tokens and cursors work on both), built once per SQLite data set and schema, and reused.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { applyMigrations, orderItemRows, orderRow, repoRoot, sessionRow, userRow } from '@wxtrpc/db';
import type { BenchDataset } from './prepareDatabase.ts';

export interface PostgresServer {
  /** The server's URL (its maintenance database). */
  url: string;
  where: string;
  stop(): Promise<void>;
}

export type FoundPostgres = { server: PostgresServer } | { skipped: string };

/** Installed PostgreSQL binaries (what with-postgres.sh would use), or null. */
function installedPostgres(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin/initdb')));
  return versions.length ? versions.sort((a, b) => Number(a) - Number(b)).at(-1)! : null;
}

/**
 * A PostgreSQL server for the bench. A throwaway cluster is started through with-postgres.sh (it prints
 * the URL, then waits until we close its stdin; the script's own cleanup then stops and removes it).
 */
export async function findPostgres(log: (line: string) => void): Promise<FoundPostgres> {
  if (process.env.BENCH_POSTGRES_URL === 'off') return { skipped: 'turned off (BENCH_POSTGRES_URL=off)' };
  const given = process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL;
  if (given) {
    const variable = process.env.BENCH_POSTGRES_URL ? 'BENCH_POSTGRES_URL' : 'TEST_POSTGRES_URL';
    return { server: { url: given, where: `the server ${variable} names, ${new URL(given).host}`, stop: async () => {} } };
  }
  const version = installedPostgres();
  if (!version) {
    return {
      skipped:
        'no PostgreSQL: BENCH_POSTGRES_URL and TEST_POSTGRES_URL are unset and PostgreSQL is not installed (apt-get install postgresql, or set BENCH_POSTGRES_URL=postgresql://…)',
    };
  }
  const script = path.join(repoRoot, 'packages/db/scripts/with-postgres.sh');
  const child = spawn('bash', [script, process.execPath, '-e', 'console.log("URL=" + (process.env.TEST_POSTGRES_URL ?? "")); process.stdin.resume()'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TEST_POSTGRES_URL: '' },
  });
  let output = '';
  const url = await new Promise<string>((resolve) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /URL=(.*)\n/.exec(output);
      if (match) resolve(match[1]!.trim());
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('exit', () => resolve(''));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin!.end(); // the waiting command ends; the script's trap stops the cluster and removes it
    });
  if (!url) {
    await stop();
    return { skipped: `no PostgreSQL: with-postgres.sh could not start one (${output.trim().split('\n').at(-1) ?? 'no output'})` };
  }
  log(`PostgreSQL ${version}: a throwaway cluster from with-postgres.sh at ${new URL(url).host}`);
  return { server: { url, where: `a throwaway PostgreSQL ${version} cluster (with-postgres.sh)`, stop } };
}

export interface PostgresDataset {
  /** DATABASE_URL of the bench database. */
  url: string;
  name: string;
  seedSeconds: number;
  reused: boolean;
  serverVersion: string;
}

const withDatabase = (serverUrl: string, name: string) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

// The tables the bench reads, parents first, each with the factory's row (its keys are the columns).
const tables: { table: string; sample: Record<string, unknown> }[] = [
  { table: 'User', sample: userRow() },
  { table: 'Session', sample: sessionRow('') },
  { table: 'Order', sample: orderRow('') },
  { table: 'OrderItem', sample: orderItemRows(orderRow(''))[0]! },
];
const batchRows = 20_000;

/** The value as json_populate_recordset reads it into the PostgreSQL column. */
function converter(sample: unknown): (value: unknown) => unknown {
  if (sample instanceof Date) return (value) => (value === null ? null : new Date(value as number).toISOString()); // epoch ms → UTC wall time
  if (sample instanceof Uint8Array) return (value) => (value === null ? null : `\\x${(value as Buffer).toString('hex')}`);
  return (value) => value;
}

/** Copies the SQLite bench database into a PostgreSQL database of its own (or reuses the copy made before). */
export async function preparePostgresDatabase(serverUrl: string, dataset: BenchDataset, log: (line: string) => void): Promise<PostgresDataset> {
  const migrations = readdirSync(path.join(repoRoot, 'prisma/postgresql/migrations')).filter((entry) => /^\d+_/.test(entry));
  // Named after the SQLite data set it copies (its file and tokens) and the PostgreSQL migrations.
  const key = createHash('sha256')
    .update(JSON.stringify({ dataset: { file: path.basename(dataset.file), token: dataset.token, heavy: dataset.heavy.token }, migrations }))
    .digest('hex')
    .slice(0, 10);
  const { users, orders } = dataset.size;
  const name = `wxtrpc_bench_${users}u_${orders}o_${key}`;
  const complete = `complete ${key}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const serverVersion = String((await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version).split(' ')[0]!;
    const found = await admin.query<{ comment: string | null }>("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [name]);
    const url = withDatabase(serverUrl, name);
    if (found.rows[0]?.comment === complete) {
      log(`reusing PostgreSQL database ${name}`);
      await refreshBenchSessions(url, dataset);
      return { url, name, seedSeconds: Number.NaN, reused: true, serverVersion };
    }
    const started = performance.now();
    // Copies of earlier data sets of this size (another schema, a rebuilt SQLite file) are not reused: drop
    // them, unless something is connected to one (another checkout's bench on the same server).
    const stale = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2', [
      `wxtrpc\\_bench\\_${users}u\\_${orders}o\\_%`,
      name,
    ]);
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
    await admin.query(`CREATE DATABASE "${name}"`);
    await applyMigrations({ provider: 'postgresql', url });
    log(`copying the SQLite bench data into PostgreSQL database ${name}…`);
    await copyRows(url, dataset.file);
    await refreshBenchSessions(url, dataset);
    await admin.query(`COMMENT ON DATABASE "${name}" IS '${complete}'`);
    const seedSeconds = (performance.now() - started) / 1000;
    log(`PostgreSQL database ready in ${seedSeconds.toFixed(1)} s`);
    return { url, name, seedSeconds, reused: false, serverVersion };
  } finally {
    await admin.end();
  }
}

async function copyRows(url: string, sqliteFile: string) {
  const sqlite = new Sqlite(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Bulk load as the SQLite seed does: secondary indexes built once at the end; foreign keys left
    // unchecked during the copy where the role may do that (the rows come from a database that checked them).
    await client.query(`SET session_replication_role = replica`).catch(() => {});
    const indexes = (
      await client.query<{ name: string; definition: string }>(
        `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
          WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
        [tables.map((t) => t.table)],
      )
    ).rows;
    for (const { name } of indexes) await client.query(`DROP INDEX "${name}"`);
    for (const { table, sample } of tables) {
      const columns = Object.keys(sample);
      const convert = columns.map((column) => converter(sample[column]));
      const list = columns.map((c) => `"${c}"`).join(', ');
      const insert = `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1)`;
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (batch.length) await client.query(insert, [JSON.stringify(batch)]);
        batch = [];
      };
      for (const row of sqlite.prepare(`SELECT ${list} FROM "${table}"`).raw().iterate() as Iterable<unknown[]>) {
        const record: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) record[columns[i]!] = convert[i]!(row[i]);
        batch.push(record);
        if (batch.length >= batchRows) await flush();
      }
      await flush();
    }
    for (const { definition } of indexes) await client.query(definition);
    await client.query('ANALYZE');
  } finally {
    await client.end();
    sqlite.close();
  }
}

/** The bench's sessions created and used now, so a database copied days ago never renews or expires them under load. */
async function refreshBenchSessions(url: string, dataset: BenchDataset) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = [dataset.token, dataset.heavy.token, dataset.light.token].map((token) => token.split('.')[0]!);
    await client.query(
      `UPDATE "Session" SET "createdAt" = now() AT TIME ZONE 'UTC', "lastUsedAt" = now() AT TIME ZONE 'UTC', "expiresAt" = (now() + interval '30 days') AT TIME ZONE 'UTC' WHERE id = ANY($1)`,
      [ids],
    );
  } finally {
    await client.end();
  }
}

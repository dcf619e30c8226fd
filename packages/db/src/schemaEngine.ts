// Prisma's schema engine (the Rust code behind `prisma migrate`) as WebAssembly, driven through a driver
// adapter: better-sqlite3, node-postgres, or an offline stub standing in for a PostgreSQL server. The CLI
// would download a native engine, which is not possible offline.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { offlinePostgresAdapter } from './offlinePostgresAdapter.ts';

type WasmBindings = typeof import('@prisma/schema-engine-wasm');
type WasmExports = Record<string, unknown>;
// Node has WebAssembly, but @types/node 20 does not declare it (it lives in lib.dom); declare what we use.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }>;
};

let bindings: Promise<WasmBindings> | undefined;

/** The package's own entry imports the .wasm as an ES module, which Node 20 cannot; instantiate it by hand. */
function loadBindings(): Promise<WasmBindings> {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
    const glue = (await import(path.join(dir, 'schema_engine_bg.js'))) as WasmBindings & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const { instance } = await WebAssembly.instantiate(await readFile(path.join(dir, 'schema_engine_bg.wasm')), {
      './schema_engine_bg.js': glue,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return bindings;
}

/**
 * The engine replays migration scripts on the shadow database through `executeRaw` without arguments,
 * and a prepared statement holds only one SQL statement; route those calls to `executeScript`.
 */
function acceptScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length > 0) return executeRaw(query);
    await adapter.executeScript(query.sql);
    return 0;
  };
  return adapter;
}

/**
 * The database the engine works on: a SQLite file, a PostgreSQL server (whose shadow databases it creates
 * itself), or no PostgreSQL server at all, for diffs between datamodels (anything else fails).
 */
export type EngineTarget = { provider: 'sqlite'; file: string } | { provider: 'postgresql'; url: string } | { provider: 'postgresql'; offline: true };

async function adapterFactoryFor(target: EngineTarget): Promise<SqlMigrationAwareDriverAdapterFactory> {
  if (target.provider === 'sqlite') return new PrismaBetterSqlite3({ url: `file:${target.file}`, timeout: 10_000 });
  if ('offline' in target) return offlinePostgresAdapter;
  const { PrismaPg } = await import('@prisma/adapter-pg'); // only loaded for PostgreSQL
  const { parse } = await import('pg-connection-string');
  // Discrete fields, not connectionString: pg lets a connection string override `database`, which
  // would point the adapter's shadow database at the real one.
  const config = Object.fromEntries(Object.entries(parse(target.url)).filter(([, value]) => value !== null && value !== undefined));
  const factory = new PrismaPg(config);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    // The adapter's own shadow database is dropped while its pool still holds a connection (the DROP
    // fails); this one closes the pool first.
    async connectToShadowDb() {
      const main = await factory.connect();
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await main.executeScript(`CREATE DATABASE "${database}"`);
      const shadow = await new PrismaPg({ ...config, database }).connect();
      const disposeShadow = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await disposeShadow();
        await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await main.dispose();
      };
      return shadow;
    },
  };
}

/**
 * Runs `work` with a schema engine connected to the target, then closes every connection it opened
 * (the engine's `free()` leaves SQLite's exclusive lock held until the adapter is disposed). An error an
 * adapter throws reaches the engine as "External error id#N"; it is rethrown as the adapter threw it.
 */
export async function withSchemaEngine<T>(target: EngineTarget, schema: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadBindings();
  const inner = await adapterFactoryFor(target);
  const opened: SqlDriverAdapter[] = [];
  const track = (adapter: SqlDriverAdapter) => (opened.push(adapter), acceptScripts(adapter));
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await inner.connectToShadowDb()),
  };
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await SchemaEngine.new(
      { datamodels: [['schema.prisma', schema]] },
      () => {}, // engine log lines (INFO "Starting schema-engine-wasm"); errors arrive as rejections
      bound,
    );
    return await work(engine);
  } catch (error) {
    const id = error instanceof Error ? /External error id#(\d+)/.exec(error.message)?.[1] : undefined;
    const thrown = id === undefined ? undefined : bound.errorRegistry.consumeError(Number(id));
    throw thrown ? thrown.error : error;
  } finally {
    engine?.free();
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
}

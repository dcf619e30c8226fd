// Prisma's schema engine (the Rust code behind `prisma migrate`) as WebAssembly, driven through our own
// better-sqlite3 driver adapter. The CLI would download a native engine, which is not possible offline.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

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
 * and better-sqlite3's `prepare` accepts only one statement; route those calls to `executeScript`.
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
 * Runs `work` with a schema engine connected to the SQLite file, then closes every connection it opened
 * (the engine's `free()` leaves its exclusive lock held until the adapter is disposed).
 */
export async function withSchemaEngine<T>(
  databaseFile: string,
  schema: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadBindings();
  const inner = new PrismaBetterSqlite3({ url: `file:${databaseFile}`, timeout: 10_000 });
  const opened: SqlDriverAdapter[] = [];
  const track = (adapter: SqlDriverAdapter) => (opened.push(adapter), acceptScripts(adapter));
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await inner.connectToShadowDb()),
  };
  const engine = await SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => {}, // engine log lines (INFO "Starting schema-engine-wasm"); errors arrive as rejections
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
}

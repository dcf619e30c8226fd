// Runs built mini-program code (a dist/ folder) in a Node `vm` context holding only what a mini-program
// runtime has: ES built-ins, timers, console, the platform's globals (`wx`, or `my`, `tt`, …), App/Component,
// and a `require` for the folder's own files. No fetch, URL, AbortController, TextDecoder, process, Buffer or
// Node modules.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

export interface Sandbox {
  context: vm.Context;
  /** The module's exports, loaded the way the runtime loads it (relative to dist/). */
  require(file: string): any;
  /** What App() and Component() were called with, by file. */
  definitions: Map<string, Record<string, any>>;
  /** Evaluates an expression inside the sandbox. */
  evaluate(code: string): unknown;
}

/** `platformGlobals`: the runtime's API objects by global name, e.g. `{ wx }` or `{ my }`. */
export function runInMiniprogramSandbox(distDir: string, platformGlobals: Record<string, object>): Sandbox {
  const definitions = new Map<string, Record<string, any>>();
  let loading = '';
  const context = vm.createContext({
    ...platformGlobals,
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    App: (definition: Record<string, any>) => void definitions.set(loading, definition),
    Component: (definition: Record<string, any>) => void definitions.set(loading, definition),
  });
  const cache = new Map<string, { exports: unknown }>();

  const load = (file: string): unknown => {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} };
    cache.set(file, module);
    const code = readFileSync(path.join(distDir, file), 'utf8');
    const wrapper = vm.runInContext(`(function (module, exports, require) {${code}\n})`, context, { filename: file });
    const previous = loading;
    loading = file;
    const localRequire = (request: string) => {
      if (!request.startsWith('.')) throw new Error(`the mini-program runtime cannot require "${request}"`);
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), request));
      return load(resolved.endsWith('.js') ? resolved : `${resolved}.js`);
    };
    try {
      wrapper(module, module.exports, localRequire);
    } finally {
      loading = previous;
    }
    return module.exports;
  };

  return { context, require: load, definitions, evaluate: (code) => vm.runInContext(code, context) };
}

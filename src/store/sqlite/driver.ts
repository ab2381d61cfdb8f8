/**
 * Where better-sqlite3 is installed: its entry module (the checkpoint worker loads it from there)
 * and its compiled addon, resolved once per process.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let entry: string | undefined;
let addon: string | undefined | null = null;

/** The driver's entry module, as `require.resolve('better-sqlite3')` gives it. */
export function driverEntry(): string {
  entry ??= createRequire(import.meta.url).resolve('better-sqlite3');
  return entry;
}

/**
 * The driver's compiled addon, where its install puts it: handed to the driver, which otherwise
 * finds it through the `bindings` package (a search of a dozen paths, ~3 ms of a start). Undefined
 * (the driver's own search) if it is elsewhere.
 */
export function addonPath(): string | undefined {
  if (addon === null) {
    try {
      const build = join(dirname(driverEntry()), '..', 'build');
      addon = ['Release', 'Debug'].map((kind) => join(build, kind, 'better_sqlite3.node')).find((file) => existsSync(file));
    } catch {
      addon = undefined;
    }
  }
  return addon;
}

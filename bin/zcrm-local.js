#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=20 --single-threaded-gc
// Runs the CLI from its bundle, dist/zcrm-local.cjs (scripts/bundle.js), compiled with a V8 code
// cache kept in the user's cache directory: a server starts in about a third of the time the
// separate modules take. Falls back to dist/cli/index.js when the bundle is missing or older than
// it (a build that did not bundle). ZCRM_CODE_CACHE=0 turns the cache off.
//
// The first line gives node an 8 MB young generation (semi-space; node's default grows to tens of MB
// under load, and 2 MB cost single-id delinks ~3 % more CPU in copying objects still in use) and a
// heap that grows by 20 % over its live data: a server under load then peaks lower. It also keeps the
// garbage collector on the main thread: with the small heap this server has, helper threads only
// contended for the core (single-id delinks ~10 % faster, p99 lower; bench/README.md). It applies
// when the file is executed, as npx and npm scripts do; `node bin/zcrm-local.js` uses node's defaults.
'use strict';
// CommonJS (bin/package.json): node starts it without its ES module loader.
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const bundle = join(dist, 'zcrm-local.cjs');
/** Caches of the same kind kept besides the current one (other node flags, a build switched back to). */
const KEEP_OTHERS = 2;

const statOf = (file) => {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
};

/**
 * Where the compiled code of this bundle is cached: a directory only this user can write. `serve`
 * keeps its own cache, since a cache holds the functions the command that wrote it had compiled.
 */
function cacheFile({ size, mtimeMs }) {
  if (process.env.ZCRM_CODE_CACHE === '0') return null;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  // V8 refuses a cache made under other flags: node's own flags are part of the key.
  const key = createHash('sha256')
    .update(`${process.version} ${process.arch} ${process.execArgv.join(' ')} ${bundle} ${size} ${mtimeMs}`)
    .digest('hex').slice(0, 24);
  return join(base, 'zcrm-local', `${process.argv[2] === 'serve' ? 'serve' : 'cli'}-${key}.bin`);
}

/** Caches of older builds (or other flags) of the same kind go when a new one is written: a few stay. */
function pruneCaches(file) {
  const dir = dirname(file);
  const kind = basename(file).split('-')[0];
  try {
    const old = readdirSync(dir)
      .filter((name) => name.startsWith(`${kind}-`) && name.endsWith('.bin') && join(dir, name) !== file)
      .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { path } of old.slice(KEEP_OTHERS)) rmSync(path, { force: true });
  } catch {
    // another process pruned first
  }
}

function readCache(file) {
  try {
    return file ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache once, atomically; a cache that cannot be written is simply not kept. */
function cacheWriter(file, script) {
  let done = false;
  return () => {
    if (done || !file) return;
    done = true;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      renameSync(tmp, file);
      pruneCaches(file);
    } catch {
      // read-only home, full disk: start without a cache next time
    }
  };
}

function loadBundle(stat) {
  const source = readFileSync(bundle, 'utf8');
  const file = cacheFile(stat);
  const cachedData = readCache(file);
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, {
    filename: bundle,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dist);
  if (!cachedData || script.cachedDataRejected) {
    // Written once the code has run for a while (functions compiled lazily are then included):
    // at exit, or two seconds in for a server.
    const write = cacheWriter(file, script);
    process.once('exit', write);
    setTimeout(write, 2000).unref();
  }
  return module.exports;
}

const bundled = statOf(bundle);
const useBundle = bundled !== undefined && bundled.mtimeMs >= (statOf(join(dist, 'cli', 'index.js'))?.mtimeMs ?? -1);
(useBundle ? Promise.resolve(loadBundle(bundled)) : import('../dist/cli/index.js')).then(({ main }) => main(process.argv));

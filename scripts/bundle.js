#!/usr/bin/env node
// Bundles the CLI and the server (dist/cli/index.js and everything it loads, Fastify and pino
// included) into one CommonJS file, dist/zcrm-local.cjs, which bin/zcrm-local.js runs with a V8
// code cache: one file to read and no module resolution is most of a cold start
// (bench/README.md, "cold start"). better-sqlite3's JavaScript is bundled too; its compiled addon is
// loaded from the installed package (the store passes its path), and `bindings`, the driver's own
// search for it, stays a package. postgres (loaded only for postgres:// URLs) stays a package.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A module standing for `specifier`: an object whose members are those of the real module, which is
 * required when one is first read (its exports are read as properties, as the bundled code does).
 */
const loadedOnFirstUse = (specifier) => `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(specifier)}));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Object.getOwnPropertyDescriptor(load(), key);
    return d && { ...d, configurable: true };
  },
});
`;

/**
 * Node modules the bundle names but a server rarely or never uses: Fastify asks for https, http2
 * and dns when it loads, commander for child_process, cli-progress for readline. Each is loaded on
 * first use of one of its members instead: node compiles these (tls, http2, …: some 70 internal
 * modules) only for a process that needs them. (worker_threads is not among them: pino reads its
 * `isMainThread` when it loads, so every server loads it at start.)
 */
const LAZY_BUILTINS = ['https', 'http2', 'dns', 'child_process', 'readline'];

const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy-builtin'
      ? { path: args.path, external: true }
      : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      loader: 'js',
      contents: loadedOnFirstUse(`node:${args.path}`),
    }));
  },
};

/**
 * Packages Fastify loads when it loads but uses only for what this server never does: semver checks
 * the Fastify version a plugin asks for (we register no plugins). Loaded on first use instead.
 */
const LAZY_PACKAGES = ['semver'];

const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_PACKAGES.join('|')})$`);
    // Only Fastify's own requests: another package may want another version.
    b.onResolve({ filter }, (args) => (args.namespace !== 'lazy-package' && /[\\/]node_modules[\\/]fastify[\\/]/.test(args.importer)
      ? { path: args.path, namespace: 'lazy-package', pluginData: { resolveDir: args.resolveDir } }
      : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({
      loader: 'js',
      resolveDir: args.pluginData.resolveDir,
      contents: loadedOnFirstUse(args.path),
    }));
  },
};

await build({
  entryPoints: [join(root, 'dist/cli/index.js')],
  outfile: join(root, 'dist/zcrm-local.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['bindings', 'postgres', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'],
  // ESM code that asks for its own URL gets the bundle's.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [lazyBuiltins, lazyPackages],
  legalComments: 'none',
  logLevel: 'warning',
});

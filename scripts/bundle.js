#!/usr/bin/env node
// Bundles the CLI and the server (dist/cli/index.js and everything it loads, Fastify and pino
// included) into one CommonJS file, dist/zcrm-local.cjs, which bin/zcrm-local.js runs with a V8
// code cache: one file to read and no module resolution is most of a cold start
// (bench/README.md, "cold start"). better-sqlite3 (native) and postgres (loaded only for
// postgres:// URLs) stay ordinary packages.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'dist/cli/index.js')],
  outfile: join(root, 'dist/zcrm-local.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', 'postgres'],
  // ESM code that asks for its own URL gets the bundle's.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  logLevel: 'warning',
});

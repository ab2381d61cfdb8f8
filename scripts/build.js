#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ with tsc, then bundles the CLI and server
// (scripts/bundle.js). The bench and the tests that run the real binary build through here too.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
await import('./bundle.js');

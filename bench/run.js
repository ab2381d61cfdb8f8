#!/usr/bin/env node
// `npm run bench`: starts, measures and stops, in one invocation, the HTTP ceiling (bare node:http),
// our server on SQLite at 10k and 1M relations (10M with --10m), and better-sqlite3 alone; then
// prints every figure as a ratio to the ceiling next to its target and writes bench/results/latest.json.
// Servers run on CPU 0 and the load generator on CPU 1 (taskset, when available). See bench/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pinSelfToLoadCore } from './lib/proc.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opts } = parseArgs({
  options: {
    '10m': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '4' },
    trials: { type: 'string', default: '3' },
    save: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

// The load generator gets CPU 1; servers are started on CPU 0.
pinSelfToLoadCore();

if (!opts['no-build']) {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.js')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const { benchmark } = await import('./lib/bench.js');
const { report, resultsMarkdown } = await import('./lib/report.js');
const work = mkdtempSync(join(tmpdir(), 'zcrm-bench-'));
try {
  const sizes = [10_000, 1_000_000, ...(opts['10m'] ? [10_000_000] : [])];
  const results = await benchmark({
    root, work, sizes, seconds: Number(opts.seconds), warmup: Number(opts.warmup), trials: Number(opts.trials), only: opts.only,
  });
  results.machine = { cores: cpus().length, node: process.version, date: new Date().toISOString() };
  const text = report(results);
  process.stdout.write(`\n${text}\n`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  if (opts.save) writeFileSync(join(here, 'RESULTS.md'), resultsMarkdown(results, text));
  process.stdout.write(`\nwrote bench/results/latest.json${opts.save ? ' and bench/RESULTS.md' : ''}\n`);
} finally {
  if (existsSync(work)) rmSync(work, { recursive: true, force: true });
}

/**
 * bin/zcrm-local.js runs the bundle (dist/zcrm-local.cjs) with a V8 code cache in the user's cache
 * directory: written once, reused, rewritten when unusable, never required.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { cleanEnv, ensureBuilt, ROOT, runCli } from './cli-process.js';

let home: string;
const cacheDir = () => join(home, 'zcrm-local');
const files = () => {
  try {
    return readdirSync(cacheDir()).sort();
  } catch {
    return [];
  }
};
const help = () => runCli(['--help'], { env: { XDG_CACHE_HOME: home } });

before(async () => {
  await ensureBuilt();
  home = mkdtempSync(join(tmpdir(), 'zcrm-code-cache-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

test('the build holds the bundle, no older than the modules it was made from', () => {
  const bundle = statSync(join(ROOT, 'dist', 'zcrm-local.cjs'));
  assert.ok(bundle.size > 100_000);
  assert.ok(bundle.mtimeMs >= statSync(join(ROOT, 'dist', 'cli', 'index.js')).mtimeMs);
});

test('the first run writes a private cache, later runs use it, a broken cache is replaced', async () => {
  const first = await help();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /Usage: zcrm-local/);
  const written = files();
  assert.equal(written.length, 1);
  assert.match(written[0], /^cli-[0-9a-f]{24}\.bin$/);
  const file = join(cacheDir(), written[0]);
  assert.equal(statSync(cacheDir()).mode & 0o777, 0o700);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(statSync(file).size > 1000);

  const second = await help();
  assert.equal(second.status, 0);
  assert.equal(second.stdout, first.stdout);
  assert.deepEqual(files(), written);

  writeFileSync(file, 'not a code cache');
  const third = await help();
  assert.equal(third.status, 0, third.stderr);
  assert.equal(third.stdout, first.stdout);
  assert.deepEqual(files(), written, 'no temporary file left behind');
  assert.ok(statSync(file).size > 1000, 'the broken cache was rewritten');
});

test('node flags get their own cache; old caches of the same kind are pruned to a few', async () => {
  const other = mkdtempSync(join(tmpdir(), 'zcrm-code-cache-prune-'));
  try {
    const dir = join(other, 'zcrm-local');
    mkdirSync(dir, { mode: 0o700 });
    const stale = Array.from({ length: 5 }, (_, i) => join(dir, `cli-${String(i).repeat(24)}.bin`));
    stale.forEach((file, i) => {
      writeFileSync(file, 'an old build');
      utimesSync(file, new Date(Date.now() - (10 - i) * 60_000), new Date(Date.now() - (10 - i) * 60_000));
    });
    writeFileSync(join(dir, 'serve-' + '9'.repeat(24) + '.bin'), 'another kind');
    const plain = await runCli(['--version'], { env: { XDG_CACHE_HOME: other } });
    assert.equal(plain.status, 0, plain.stderr);
    const cli = readdirSync(dir).filter((f) => f.startsWith('cli-')).sort();
    assert.equal(cli.length, 3, 'the new cache and the two newest old ones');
    assert.ok(cli.includes(basename(stale[4])) && cli.includes(basename(stale[3])));
    assert.ok(readdirSync(dir).includes('serve-' + '9'.repeat(24) + '.bin'), 'other kinds are left alone');
    const flagged = spawnSync(process.execPath, ['--max-semi-space-size=2', join(ROOT, 'bin', 'zcrm-local.js'), '--version'], {
      env: { ...cleanEnv(), XDG_CACHE_HOME: other }, encoding: 'utf8',
    });
    assert.equal(flagged.status, 0, flagged.stderr);
    const after = readdirSync(dir).filter((f) => f.startsWith('cli-'));
    assert.equal(after.length, 3);
    const plainCache = cli.find((f) => !stale.map((p) => basename(p)).includes(f));
    assert.ok(plainCache && after.includes(plainCache), 'the plain run keeps its cache');
    assert.ok(after.some((f) => !cli.includes(f)), 'the flagged run wrote a cache of its own');
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

test('ZCRM_CODE_CACHE=0 runs without writing anything', async () => {
  const other = mkdtempSync(join(tmpdir(), 'zcrm-code-cache-off-'));
  try {
    const r = await runCli(['--version'], { env: { XDG_CACHE_HOME: other, ZCRM_CODE_CACHE: '0' } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(other), []);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

test('an unwritable cache directory does not stop the command', async () => {
  const blocked = join(home, 'blocked');
  writeFileSync(blocked, 'a file where the cache directory would go');
  const r = await runCli(['--help'], { env: { XDG_CACHE_HOME: blocked } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: zcrm-local/);
});

test('the bundle loads without the node modules a server does not use (https, http2, tls, child_process)', () => {
  const script = `
    const bundle = require(${JSON.stringify(join(ROOT, 'dist', 'zcrm-local.cjs'))});
    if (typeof bundle.main !== 'function') throw new Error('no main');
    const loaded = ['https', 'http2', 'tls', 'child_process'].filter((name) => process.moduleLoadList.includes('NativeModule ' + name));
    process.stdout.write(JSON.stringify(loaded));
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: cleanEnv() });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});

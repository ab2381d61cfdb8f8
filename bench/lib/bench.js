// The measurement plan: ceiling, then each database size (load runs, each delink run in rounds
// between two ceiling runs, then better-sqlite3 alone on the same file), the ceiling again, then cold
// starts. Figures are collected raw; report.js turns them into ratios.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildDataset } from './dataset.js';
import { Parents, repair, runLoad, scenario } from './load.js';
import { cpuSeconds, freePort, peakRss, pinned, sleep, startPinned, stop, waitReady } from './proc.js';

const log = (msg) => process.stderr.write(`${msg}\n`);
const label = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

async function startCeiling(root) {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const child = startPinned([process.execPath, join(root, 'bench/ceiling.js'), String(port)]);
  const url = `http://127.0.0.1:${port}`;
  const readyMs = await waitReady(child, `${url}/`, t0);
  return { child, url, readyMs };
}

async function startOurs(root, db, probe) {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  // Run as `npx zcrm-local serve` runs it: the executable itself, with the node flags of its first line.
  const child = startPinned([join(root, 'bin/zcrm-local.js'), 'serve', '--port', String(port), '--db', db, '--log-level', 'warn']);
  const url = `http://127.0.0.1:${port}`;
  const readyMs = await waitReady(child, url + (probe?.path ?? '/_zcrm/health'), t0, { headers: probe?.headers });
  return { child, url, readyMs };
}

/** Warm-up, then the measured run; relations left half-way are linked back after each. */
async function measure(server, ds, name, connections, o) {
  const parents = ds ? new Parents(ds.parents) : null;
  const defs = scenario(name, ds, parents);
  const base = { url: server.url, token: ds?.token, defs, connections };
  await runLoad({ ...base, seconds: o.warmup });
  await sleep(100);
  if (parents) await repair(server.url, ds.token, parents);
  const cpu0 = cpuSeconds(server.child.pid);
  const r = await runLoad({ ...base, seconds: o.seconds });
  r.server_core_busy = (cpuSeconds(server.child.pid) - cpu0) / r.seconds;
  await sleep(100);
  if (parents) await repair(server.url, ds.token, parents);
  r.peak_rss_bytes = peakRss(server.child.pid);
  log(`  ${name} c=${connections}: ${Object.entries(r.kinds).map(([k, v]) => `${k} ${Math.round(v.rps)}/s p99 ${v.p99_ms.toFixed(2)} ms`).join(', ')} (client core ${r.client_core_busy.toFixed(2)})`);
  return r;
}

async function ceilingRuns(root, o) {
  const server = await startCeiling(root);
  try {
    const runs = {};
    for (const c of [50, 10]) runs[`c${c}`] = await measure(server, null, 'ceiling', c, o);
    return { runs, peak_rss_bytes: peakRss(server.child.pid) };
  } finally {
    await stop(server.child);
  }
}

function rawSqlite(root, ds, seconds, statements) {
  const argv = pinned(0, [process.execPath, join(root, 'bench/raw-sqlite.js'), ds.file, String(ds.parents), String(seconds), statements]);
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`raw-sqlite failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function sizeRuns(root, work, relations, o) {
  const t0 = Date.now();
  const ds = await buildDataset(join(work, `rel-${label(relations)}.db`), relations);
  log(`${label(relations)} relations: database built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const server = await startOurs(root, ds.file);
  // The ceiling is measured again right before and right after each delink run, at the same
  // connection count: the machine's speed drifts over minutes, and the targets compare neighbours.
  const ceiling = await startCeiling(root);
  const runs = {};
  try {
    for (const [name, c] of [['single', 50], ['single', 10], ['batch', 10], ['list', 10]]) {
      if (o.only && !o.only.split(',').includes(name)) continue;
      if (name === 'list') {
        runs[`${name}_c${c}`] = await measure(server, ds, name, c, o);
        continue;
      }
      // The ceiling's code is tiny: a 1 s warm-up is enough for it, and for our server in the rounds
      // after the first (it is warm by then).
      const near = { ...o, warmup: Math.min(1, o.warmup) };
      const rounds = [];
      for (let t = 0; t < o.trials; t++) {
        const before = await measure(ceiling, null, 'ceiling', c, near);
        const r = await measure(server, ds, name, c, t === 0 ? o : near);
        r.ceiling_neighbours = [before, await measure(ceiling, null, 'ceiling', c, near)];
        rounds.push(r);
      }
      // Single-id rounds are judged against the ceiling next to them, 100-id rounds against
      // better-sqlite3 alone (measured once, after the runs): each by what its target compares.
      runs[`${name}_c${c}`] = medianRound(rounds, name === 'single' ? shareOfCeiling : mainRps);
    }
  } finally {
    await stop(server.child);
    await stop(ceiling.child);
  }
  const peak = peakRssOf(runs);
  // better-sqlite3 alone on the server's table, and on the same data with SQLite's default 4 KiB
  // pages, each with plain deletes and inserts and with the store's own statements (a delink marks
  // the row gone): the fastest is the reference, so neither the store's page size nor its
  // statements can flatter the ratio. Keys: the page size, then ` mark` for the store's statements.
  const byPageSize = {};
  const ds4k = await buildDataset(join(work, `rel-${label(relations)}-4k.db`), relations, { pageSize: 4096 });
  for (const statements of ['delete', 'mark']) {
    byPageSize[`${ds.pageSize}${statements === 'mark' ? ' mark' : ''}`] = rawSqlite(root, ds, o.seconds, statements);
    byPageSize[`4096${statements === 'mark' ? ' mark' : ''}`] = rawSqlite(root, ds4k, o.seconds, statements);
  }
  rmSync(ds4k.file, { force: true });
  for (const [key, r] of Object.entries(byPageSize)) log(`  better-sqlite3 alone, ${key.split(' ')[0]}-byte pages${key.endsWith(' mark') ? ', marking rows gone' : ''}: ${Math.round(r.rows_per_s)} rows delinked/s`);
  const raw = Object.entries(byPageSize).map(([key, r]) => ({ ...r, page_size: Number(key.split(' ')[0]) })).sort((a, b) => b.rows_per_s - a.rows_per_s)[0];
  return { relations: ds.relations, runs, raw_sqlite: raw, raw_sqlite_by_page_size: byPageSize, peak_rss_bytes: peak, ds };
}

const peakRssOf = (runs) => Math.max(0, ...Object.values(runs).map((r) => r.peak_rss_bytes));

const mainRps = (r) => Object.values(r.kinds)[0].rps;
/** A round's throughput as a share of the better of its two neighbouring ceiling runs. */
const shareOfCeiling = (r) => mainRps(r) / Math.max(...r.ceiling_neighbours.map((n) => n.kinds.ceiling.rps));

/**
 * The round with the median score (the lower middle one for an even count) stands for the run, with
 * all its own figures; every round's share of its ceiling and req/s are kept beside it, and the run's
 * peak RSS is the highest of all rounds.
 */
function medianRound(rounds, score) {
  const chosen = [...rounds].sort((a, b) => score(a) - score(b))[Math.floor((rounds.length - 1) / 2)];
  return {
    ...chosen,
    peak_rss_bytes: Math.max(...rounds.map((r) => r.peak_rss_bytes)),
    rounds: rounds.map((r) => ({ share_of_ceiling: shareOfCeiling(r), rps: mainRps(r), chosen: r === chosen })),
  };
}

/** Process start to first successful answer, interleaved trials; median in ms. */
async function coldStarts(root, work, ds1m, trials) {
  const times = { ceiling: [], empty: [], '1M': [] };
  const probe = ds1m && { path: `/crm/v2/Campaigns/${ds1m.listParent}/Contacts?per_page=1`, headers: { authorization: `Zoho-oauthtoken ${ds1m.token}` } };
  for (let t = 0; t < trials; t++) {
    const a = await startCeiling(root);
    times.ceiling.push(a.readyMs);
    await stop(a.child);
    const e = await startOurs(root, join(work, `empty-${t}.db`));
    times.empty.push(e.readyMs);
    await stop(e.child);
    if (ds1m) {
      const m = await startOurs(root, ds1m.file, probe);
      times['1M'].push(m.readyMs);
      await stop(m.child);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return Object.fromEntries(Object.entries(times).filter(([, xs]) => xs.length).map(([k, xs]) => [k, { median_ms: median(xs), trials_ms: xs }]));
}

export async function benchmark({ root, work, sizes, seconds, warmup, trials, only }) {
  const o = { seconds, warmup, only, trials: Math.max(1, trials) };
  log('ceiling (bare node:http)');
  const ceilingBefore = await ceilingRuns(root, o);
  const sizesOut = {};
  for (const n of sizes) sizesOut[label(n)] = await sizeRuns(root, work, n, o);
  log('ceiling again');
  const ceilingAfter = await ceilingRuns(root, o);
  log('cold starts');
  const cold = await coldStarts(root, work, sizesOut['1M']?.ds, trials);
  for (const s of Object.values(sizesOut)) delete s.ds;
  return { settings: { seconds, warmup, trials }, ceiling: { before: ceilingBefore, after: ceilingAfter }, sizes: sizesOut, cold_start: cold };
}

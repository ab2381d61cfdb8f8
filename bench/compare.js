#!/usr/bin/env node
// `npm run bench:compare -- <checkout A> <checkout B>`: which of two builds spends less server CPU per
// request. Both servers run at once on CPU 0, each under its own load from this process on CPU 1, so
// whatever slows the machine slows both: run one after the other, the same build differed by up to
// ±15 % between runs on this shared machine; run at once, by 1–2 %. Each round starts the two loads in
// the other order. A checkout is a directory with a built bin/zcrm-local.js and dist/ (npm ci; npm run
// build). The database is built with this checkout's store, so both must read the same schema.
//
//   --scenario single|batch|list (default single)  --connections 25 (each server)  --seconds 3
//   --rounds 6  --relations 10000  --warmup 4
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pinSelfToLoadCore } from './lib/proc.js';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: 'string', default: 'single' },
    connections: { type: 'string', default: '25' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '6' },
    relations: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '4' },
  },
});
if (positionals.length !== 2) {
  process.stderr.write('usage: node bench/compare.js <checkout A> <checkout B> [--scenario single|batch|list] [--rounds 6] …\n');
  process.exit(2);
}
const roots = positionals.map((p) => resolve(p));
for (const root of roots) {
  if (!existsSync(join(root, 'bin/zcrm-local.js')) || !existsSync(join(root, 'dist'))) {
    process.stderr.write(`${root}: no built server (bin/zcrm-local.js and dist/); run npm ci and npm run build there\n`);
    process.exit(2);
  }
}

// The loads get CPU 1; the servers are started on CPU 0.
pinSelfToLoadCore();

const { buildDataset } = await import('./lib/dataset.js');
const { Parents, repair, runLoad, scenario } = await import('./lib/load.js');
const { cpuSeconds, freePort, sleep, startPinned, stop, waitReady } = await import('./lib/proc.js');

const work = mkdtempSync(join(tmpdir(), 'zcrm-compare-'));
const servers = [];
try {
  const ds = await buildDataset(join(work, 'base.db'), Number(o.relations));
  for (const [i, root] of roots.entries()) {
    const db = join(work, `server-${i}.db`);
    copyFileSync(ds.file, db);
    const port = await freePort();
    const child = startPinned([join(root, 'bin/zcrm-local.js'), 'serve', '--port', String(port), '--db', db, '--log-level', 'warn']);
    const url = `http://127.0.0.1:${port}`;
    await waitReady(child, `${url}/_zcrm/health`, process.hrtime.bigint());
    servers.push({ root, child, url, us: [] });
  }

  /** One timed load on one server: its CPU per request. */
  const measure = async (s, seconds) => {
    const parents = new Parents(ds.parents);
    const defs = scenario(o.scenario, ds, parents);
    const cpu0 = cpuSeconds(s.child.pid);
    const r = await runLoad({ url: s.url, token: ds.token, defs, connections: Number(o.connections), seconds });
    const cpu = cpuSeconds(s.child.pid) - cpu0;
    await sleep(100);
    if (o.scenario !== 'list') await repair(s.url, ds.token, parents);
    const kinds = Object.values(r.kinds);
    const bad = kinds.reduce((n, k) => n + k.unexpected_status, 0) + r.errors;
    if (bad) throw new Error(`${s.root}: ${bad} unexpected answers or errors`);
    return (cpu / kinds.reduce((n, k) => n + k.requests, 0)) * 1e6;
  };
  /** Both loads at once; `flip` starts B's first. */
  const both = (seconds, flip) => {
    const order = flip ? [servers[1], servers[0]] : servers;
    return Promise.all(order.map((s) => measure(s, seconds))).then((us) => (flip ? us.reverse() : us));
  };

  await both(Number(o.warmup), false);
  const ratios = [];
  for (let t = 0; t < Number(o.rounds); t++) {
    const [a, b] = await both(Number(o.seconds), t % 2 === 1);
    servers[0].us.push(a);
    servers[1].us.push(b);
    ratios.push(b / a);
    process.stderr.write(`round ${t + 1}: A ${a.toFixed(1)} µs, B ${b.toFixed(1)} µs of server CPU per request, B/A ${(b / a).toFixed(3)}\n`);
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  process.stdout.write(`${o.scenario}, ${o.connections} connections each, ${o.relations} relations: B/A server CPU per request ${median(ratios).toFixed(3)} `
    + `(median of ${ratios.length} rounds: ${ratios.map((r) => r.toFixed(3)).join(' ')}); A ${median(servers[0].us).toFixed(1)} µs, B ${median(servers[1].us).toFixed(1)} µs\n`
    + `A: ${roots[0]}\nB: ${roots[1]}\n`);
} finally {
  for (const s of servers) await stop(s.child);
  rmSync(work, { recursive: true, force: true });
}

/**
 * Crash safety: link/delink load against a real `zcrm-local serve --db <file>` process, killed
 * with SIGKILL at random moments, restarted, and checked: every acknowledged change is there,
 * an unacknowledged bulk call is applied whole or not at all, and SQLite's integrity check passes.
 * ZCRM_CRASH_ROUNDS (default 15) and ZCRM_CRASH_SEED change the run.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { ensureBuilt } from '../helpers/build.js';
import { api } from '../helpers/server.js';

const ROUNDS = Number(process.env.ZCRM_CRASH_ROUNDS ?? 15);
const SEED = Number(process.env.ZCRM_CRASH_SEED ?? 20261129);
const WORKERS = 4;
const PER_WORKER = 8;

const dir = mkdtempSync(join(tmpdir(), 'zcrm-crash-'));
const db = join(dir, 'crash.db');
before(async () => { await ensureBuilt(); });
after(() => rmSync(dir, { recursive: true, force: true }));

let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

async function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/zcrm-local.js', 'serve', '--port', '0', '--db', db, '--no-demo', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /at (http:\/\/\S+) /.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on('data', (chunk) => { out += chunk; });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${out}`)));
  });
  return { child, url };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

type Op = { kind: 'link' | 'delink'; ids: string[]; price: number };
type Model = Map<string, number>;

function apply(model: Model, op: Op): Model {
  const next = new Map(model);
  for (const id of op.ids) {
    if (op.kind === 'link') next.set(id, op.price);
    else next.delete(id);
  }
  return next;
}

const same = (a: Model, b: Model) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
const show = (m: Model) => JSON.stringify([...m].sort());

test(`SIGKILL during link/delink load: ${ROUNDS} rounds lose no acknowledged change and half-apply nothing`, async (t) => {
  let { child, url } = await serve();
  const org = await (await fetch(`${url}/_zcrm/orgs`, { method: 'POST', body: '{}' })).json();
  const token = (await (await fetch(`${url}/_zcrm/orgs/${org.org_id}/tokens`, { method: 'POST', body: JSON.stringify({ scope: 'ZohoCRM.modules.ALL' }) })).json()).access_token;
  const product = (await api(url, token, 'POST', '/crm/v2/Products', { data: [{ Product_Name: 'Crash' }] })).body.data[0].details.id as string;
  const books = (await api(url, token, 'POST', '/crm/v2/Price_Books', { data: Array.from({ length: WORKERS * PER_WORKER }, (_, i) => ({ Price_Book_Name: `B${i}` })) }))
    .body.data.map((d: { details: { id: string } }) => d.details.id) as string[];
  const owned = Array.from({ length: WORKERS }, (_, w) => books.slice(w * PER_WORKER, (w + 1) * PER_WORKER));
  const models: Model[] = owned.map(() => new Map());
  const pending: (Op | undefined)[] = owned.map(() => undefined);
  const stats = { acked: 0, pendingApplied: 0, pendingAbsent: 0 };
  let price = 1;

  const verify = async (round: number) => {
    const res = await api(url, token, 'GET', `/crm/v2/Products/${product}/Price_Books?per_page=200`);
    const actual: Model = new Map(res.status === 204 ? [] : res.body.data.map((r: { id: string; list_price: number }) => [r.id, r.list_price]));
    owned.forEach((ids, w) => {
      const mine: Model = new Map([...actual].filter(([id]) => ids.includes(id)));
      const op = pending[w];
      if (same(mine, models[w])) {
        if (op && !same(apply(models[w], op), models[w])) stats.pendingAbsent++;
      } else if (op && same(mine, apply(models[w], op))) {
        stats.pendingApplied++;
        models[w] = mine;
      } else {
        assert.fail(`round ${round}, worker ${w}: stored ${show(mine)}, acknowledged ${show(models[w])}, in flight ${JSON.stringify(op)}`);
      }
      pending[w] = undefined;
    });
  };

  const worker = async (w: number, stop: { killed: boolean }) => {
    while (!stop.killed) {
      const ids = owned[w].filter(() => random() < 0.4);
      if (ids.length === 0) continue;
      const op: Op = { kind: random() < 0.55 ? 'link' : 'delink', ids, price: price++ + 0.25 };
      pending[w] = op;
      try {
        const res = op.kind === 'link'
          ? await api(url, token, 'PUT', `/crm/v2/Products/${product}/Price_Books`, { data: ids.map((id) => ({ id, list_price: op.price })) })
          : await api(url, token, 'DELETE', `/crm/v2/Products/${product}/Price_Books?ids=${ids.join(',')}`);
        assert.ok([200, 207, 400].includes(res.status), `unexpected ${res.status} ${res.text}`);
        models[w] = apply(models[w], op);
        pending[w] = undefined;
        stats.acked++;
      } catch (e) {
        if (!stop.killed) throw e;
        return;
      }
    }
  };

  for (let round = 1; round <= ROUNDS; round++) {
    const stop = { killed: false };
    const load = Promise.all(owned.map((_, w) => worker(w, stop)));
    await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 180)));
    stop.killed = true;
    await kill(child);
    await load;
    const check = new Database(db);
    assert.deepEqual(check.pragma('integrity_check'), [{ integrity_check: 'ok' }], `round ${round}: integrity check`);
    check.close();
    ({ child, url } = await serve());
    await verify(round);
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  t.diagnostic(`rounds ${ROUNDS}, acknowledged calls ${stats.acked}, unacknowledged calls found applied whole ${stats.pendingApplied}, found not applied ${stats.pendingAbsent}`);
  assert.ok(stats.acked >= ROUNDS, 'the load made progress');
});

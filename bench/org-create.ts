/**
 * How long creating an org takes (the org, its two profiles and its administrator — what
 * `POST /_zcrm/orgs` does), on each store, directly and over HTTP.
 *   node --import tsx bench/org-create.ts [count]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrgWithAdmin } from '../src/auth/accounts.js';
import { startServer } from '../src/server/app.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { createTestDatabase } from '../test/helpers/pg.js';

const count = Number(process.argv[2] ?? 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(2)} ms, p95 ${p95(xs).toFixed(2)} ms, mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)} ms`;

async function timeStore(label: string, store: Store): Promise<void> {
  const direct: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await createOrgWithAdmin(store, Date.now());
    direct.push(performance.now() - t);
  }
  const server = await startServer({ port: 0, store, demo: false, logLevel: 'silent' });
  const http: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await fetch(`${server.url}/_zcrm/orgs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await res.text();
    if (res.status !== 201) throw new Error(`POST /_zcrm/orgs → ${res.status}`);
    http.push(performance.now() - t);
  }
  await server.close();
  console.log(`${label.padEnd(16)} store: ${fmt(direct)} | HTTP POST /_zcrm/orgs: ${fmt(http)}`);
}

console.log(`${new Date().toISOString()} — ${cpus().length} cores, ${count} orgs per store, Node ${process.version}`);
const dir = mkdtempSync(join(tmpdir(), 'zcrm-bench-'));
const db = await createTestDatabase();
try {
  for (const [label, url] of [['sqlite :memory:', ':memory:'], ['sqlite file', join(dir, 'b.db')], ['postgres', db.url]]) {
    const store = await openStore(url);
    await timeStore(label, store);
    await store.close();
  }
} finally {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Relations removed per second on one PostgreSQL database with N server instances (separate
 * processes), requests spread round-robin over them, single-id and 100-id delinks.
 *   node --import tsx bench/pg-delink.ts [instances=1] [seconds=10] [concurrency=32] [mode=single|bulk] [store=postgres|sqlite]
 * `sqlite` runs the same load on one SQLite file (WAL) for comparison on the same machine.
 * The load generator runs on the same machine: numbers are for this machine as a whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createOrgWithAdmin, mintAccessToken } from '../src/auth/accounts.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { createTestDatabase } from '../test/helpers/pg.js';
import { spawnServer } from '../test/helpers/processes.js';

const [instances, seconds, concurrency] = [2, 3, 4].map((i, k) => Number(process.argv[i] ?? [1, 10, 32][k]));
const mode = process.argv[5] === 'bulk' ? 'bulk' : 'single';
const kind = process.argv[6] === 'sqlite' ? 'sqlite' : 'postgres';
const ORGS = 4;
const PER_ORG = mode === 'bulk' ? 25_000 : 6_000;

interface Job { token: string; campaign: string; contacts: string[] }

async function seed(store: Store): Promise<Job[]> {
  const jobs: Job[] = [];
  const now = Date.now();
  for (let o = 0; o < ORGS; o++) {
    const { org, admin } = await createOrgWithAdmin(store, now);
    const { client } = await createClient(store, org.id, now, { type: 'self' });
    const token = await mintAccessToken(store, now, { clientId: client.clientId, orgId: org.id, userId: admin.id, scopes: ['ZohoCRM.modules.ALL'] }, null);
    const ids = await store.allocateIds(org.id, PER_ORG + 1);
    const rec = (id: string, module: string) => ({ id, module, ownerId: admin.id, createdBy: admin.id, modifiedBy: admin.id, createdAt: now, modifiedAt: now, parentId: null, data: { Last_Name: id } });
    const [campaign, ...contacts] = ids;
    await store.insertRecords(org.id, [rec(campaign, 'Campaigns')]);
    for (let i = 0; i < contacts.length; i += 2000) await store.insertRecords(org.id, contacts.slice(i, i + 2000).map((id) => rec(id, 'Contacts')));
    const target = { relation: 'campaign_contacts', side: 'left' as const, parentId: campaign, relatedModule: 'Contacts' };
    for (let i = 0; i < contacts.length; i += 100) await store.linkRelated(org.id, target, contacts.slice(i, i + 100).map((id) => ({ id, data: {} })), now);
    jobs.push({ token, campaign, contacts });
  }
  return jobs;
}

const dir = mkdtempSync(join(tmpdir(), 'zcrm-bench-'));
const db = kind === 'postgres' ? await createTestDatabase() : { url: join(dir, 'bench.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
const store = await openStore(db.url, { pgPoolSize: 4 });
const servers = await Promise.all(Array.from({ length: instances }, () => spawnServer(db.url)));
try {
  const jobs = await seed(store);
  // Work items: one relation (single) or 100 relations of one campaign (bulk), orgs interleaved.
  const items: { job: Job; ids: string[] }[] = [];
  const size = mode === 'bulk' ? 100 : 1;
  for (let i = 0; i < PER_ORG; i += size) for (const job of jobs) items.push({ job, ids: job.contacts.slice(i, i + size) });
  let next = 0;
  let removed = 0;
  let failed = 0;
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline && next < items.length) {
      const n = next++;
      const { job, ids } = items[n];
      const base = servers[n % servers.length].url;
      const path = size === 1 ? `/crm/v2/Campaigns/${job.campaign}/Contacts/${ids[0]}` : `/crm/v2/Campaigns/${job.campaign}/Contacts?ids=${ids.join(',')}`;
      const t = performance.now();
      const res = await fetch(base + path, { method: 'DELETE', headers: { authorization: `Zoho-oauthtoken ${job.token}` } });
      const body = (await res.json()) as { data: { status: string }[] };
      latencies.push(performance.now() - t);
      for (const d of body.data) if (d.status === 'success') removed++; else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.floor(latencies.length * p)].toFixed(1);
  console.log(JSON.stringify({
    date: new Date().toISOString(), cores: cpus().length, load1: Number(loadavg()[0].toFixed(2)), store: kind, instances, mode, concurrency,
    seconds: Number(elapsed.toFixed(2)), requests: latencies.length, removed, failed,
    removed_per_s: Math.round(removed / elapsed), requests_per_s: Math.round(latencies.length / elapsed), p50_ms: Number(pct(0.5)), p99_ms: Number(pct(0.99)),
  }));
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await store.close();
  await db.drop();
}

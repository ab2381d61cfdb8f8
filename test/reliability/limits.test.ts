import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { ensureBuilt } from '../helpers/build.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
let server: TestServer;
before(async () => {
  server = await startTestServer();
  await ensureBuilt();
});
after(async () => { await server.close(); });

const TOO_MANY_CREDITS = {
  code: 'TOO_MANY_REQUESTS', details: {}, message: 'You have exceeded the API credits of your edition for the last 24 hours', status: 'error',
};

async function campaignOrg(s: TestServer) {
  const org = await s.newOrg();
  const made = await api(s.url, org.token, 'POST', '/crm/v2/Campaigns', { data: [{ Campaign_Name: 'Spring' }] });
  return { ...org, campaign: made.body.data[0].details.id as string };
}

const edition = (s: TestServer, orgId: string, body: unknown) => s.admin('PUT', `/_zcrm/orgs/${orgId}/edition`, body);

test('the CLI sets an edition; the limits follow Zoho\'s 2020 credit table', async () => {
  const org = await server.newOrg();
  const { stdout } = await run(process.execPath, ['bin/zcrm-local.js', 'org', 'edition', org.orgId, 'Free', '--url', server.url]);
  assert.equal(stdout, `org ${org.orgId}: Free — 5 concurrent calls, 5000 API credits per 24 hours (0 used)\n`);
  const status = await server.admin('GET', `/_zcrm/orgs/${org.orgId}/edition`);
  assert.deepEqual(status, {
    org_id: org.orgId, edition: 'Free', concurrency_limit: 5, in_flight: 0, credits_limit: 5000, credits_used: 0, credits_remaining: 5000,
  });
  const table: [string, number, number, number][] = [
    ['Standard', 3, 10, 5750], ['Standard', 1000, 10, 100000], ['Professional', 10, 15, 15000],
    ['Enterprise', 2000, 20, 1000000], ['Ultimate', 100, 25, 215000],
  ];
  for (const [name, users, concurrency, credits] of table) {
    const s = await edition(server, org.orgId, { edition: name, users });
    assert.equal(s.concurrency_limit, concurrency, name);
    assert.equal(s.credits_limit, credits, `${name} with ${users} users`);
  }
  const off = await run(process.execPath, ['bin/zcrm-local.js', 'org', 'edition', org.orgId, 'off', '--url', server.url]);
  assert.equal(off.stdout, `org ${org.orgId}: limits off\n`);
  const bad = await run(process.execPath, ['bin/zcrm-local.js', 'org', 'edition', org.orgId, 'Gold', '--url', server.url]).catch((e) => e);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /edition must be one of Free, Standard, Professional, Enterprise, Ultimate, off/);
});

test('credits run out on a rolling 24-hour window; X-API-CREDITS-REMAINING appears at half', async () => {
  const org = await campaignOrg(server);
  await edition(server, org.orgId, { edition: 'Free', credits: 10 });
  const path = `/crm/v2/Campaigns/${org.campaign}/Contacts`;
  const headers: (string | null)[] = [];
  for (let i = 0; i < 4; i++) headers.push((await api(server.url, org.token, 'GET', path)).headers.get('x-api-credits-remaining'));
  // Tokens live an hour: a fresh one after each jump of the clock.
  await server.admin('POST', '/_zcrm/clock/advance', { seconds: 12 * 3600 });
  let token = await server.tokenFor(org.orgId, 'ZohoCRM.modules.ALL');
  for (let i = 0; i < 6; i++) {
    const res = await api(server.url, token, 'GET', path);
    assert.equal(res.status, 204);
    headers.push(res.headers.get('x-api-credits-remaining'));
  }
  assert.deepEqual(headers, [null, null, null, null, '5', '4', '3', '2', '1', '0']);
  const refused = await api(server.url, token, 'GET', path);
  assert.equal(refused.status, 429);
  assert.deepEqual(refused.body, TOO_MANY_CREDITS);
  // A refused call costs nothing; 12 h later the first four credits come back, and only those.
  await server.admin('POST', '/_zcrm/clock/advance', { seconds: 12 * 3600 + 60 });
  token = await server.tokenFor(org.orgId, 'ZohoCRM.modules.ALL');
  for (let i = 0; i < 4; i++) assert.equal((await api(server.url, token, 'GET', path)).status, 204);
  assert.equal((await api(server.url, token, 'GET', path)).status, 429);
  const status = await server.admin('GET', `/_zcrm/orgs/${org.orgId}/edition`);
  assert.equal(status.credits_used, 10);
  // Another org without an edition is not limited.
  const free = await campaignOrg(server);
  const res = await api(server.url, free.token, 'GET', `/crm/v2/Campaigns/${free.campaign}/Contacts`);
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('x-api-credits-remaining'), null);
});

test('inserting records costs 1 credit per 10 records', async () => {
  const org = await campaignOrg(server);
  await edition(server, org.orgId, { edition: 'Standard', credits: 100 });
  const data = Array.from({ length: 25 }, (_, i) => ({ Last_Name: `Contact ${i}` }));
  assert.equal((await api(server.url, org.token, 'POST', '/crm/v2/Contacts', { data })).status, 201);
  assert.equal((await api(server.url, org.token, 'POST', '/crm/v2/Contacts', { data: data.slice(0, 3) })).status, 201);
  const status = await server.admin('GET', `/_zcrm/orgs/${org.orgId}/edition`);
  assert.equal(status.credits_used, 4);
});

test('more concurrent calls than the edition allows get 429', async () => {
  const org = await campaignOrg(server);
  await edition(server, org.orgId, { edition: 'Free' });
  // Slow answers for this org only hold their concurrency slots.
  await server.admin('POST', '/_zcrm/faults', { org: org.orgId, latency_ms: 3000 });
  const path = `/crm/v2/Campaigns/${org.campaign}/Contacts`;
  const slow = Array.from({ length: 5 }, () => api(server.url, org.token, 'GET', path));
  for (let i = 0; i < 200; i++) {
    if ((await server.admin('GET', `/_zcrm/orgs/${org.orgId}/edition`)).in_flight === 5) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const sixth = await api(server.url, org.token, 'GET', path);
  assert.equal(sixth.status, 429);
  assert.deepEqual(sixth.body, { code: 'TOO_MANY_REQUESTS', details: {}, message: 'You have exceeded the concurrency limit of your edition', status: 'error' });
  assert.deepEqual((await Promise.all(slow)).map((r) => r.status), [204, 204, 204, 204, 204]);
  assert.equal((await server.admin('GET', `/_zcrm/orgs/${org.orgId}/edition`)).in_flight, 0);
  await server.admin('DELETE', '/_zcrm/faults');
});

test('credit usage lives in the database, shared by two servers on one file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-limits-'));
  const db = join(dir, 'shared.db');
  const a = await startTestServer({ db });
  const b = await startTestServer({ db });
  try {
    const org = await campaignOrg(a);
    await edition(a, org.orgId, { edition: 'Free', credits: 3 });
    const path = `/crm/v2/Campaigns/${org.campaign}/Contacts`;
    assert.equal((await api(a.url, org.token, 'GET', path)).status, 204);
    assert.equal((await api(b.url, org.token, 'GET', path)).status, 204);
    assert.equal((await api(a.url, org.token, 'GET', path)).status, 204);
    assert.equal((await api(b.url, org.token, 'GET', path)).status, 429);
  } finally {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the concurrency cap counts calls in flight on every server sharing the database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-leases-'));
  const db = join(dir, 'shared.db');
  const a = await startTestServer({ db });
  const b = await startTestServer({ db });
  try {
    const org = await campaignOrg(a);
    await edition(a, org.orgId, { edition: 'Free' });
    // Fault rules live in each process: both servers answer this org slowly, holding their slots.
    for (const s of [a, b]) await s.admin('POST', '/_zcrm/faults', { org: org.orgId, latency_ms: 3000 });
    const path = `/crm/v2/Campaigns/${org.campaign}/Contacts`;
    const slow = [a, a, a, b, b].map((s) => api(s.url, org.token, 'GET', path));
    const inFlight = async (s: TestServer) => (await s.admin('GET', `/_zcrm/orgs/${org.orgId}/edition`)).in_flight;
    for (let i = 0; i < 200 && ((await inFlight(a)) < 5 || (await inFlight(b)) < 5); i++) await new Promise((r) => setTimeout(r, 20));
    // Each server reports the calls in flight on both.
    assert.deepEqual([await inFlight(a), await inFlight(b)], [5, 5]);
    // b has only two calls of its own in flight: the three on a are what fill the Free edition's five.
    const sixth = await api(b.url, org.token, 'GET', path);
    assert.equal(sixth.status, 429);
    assert.deepEqual(sixth.body, { code: 'TOO_MANY_REQUESTS', details: {}, message: 'You have exceeded the concurrency limit of your edition', status: 'error' });
    assert.deepEqual((await Promise.all(slow)).map((r) => r.status), [204, 204, 204, 204, 204]);
    for (const s of [a, b]) await s.admin('DELETE', '/_zcrm/faults');
    // Every slot came back.
    const again = await Promise.all([a, b, a, b, a].map((s) => api(s.url, org.token, 'GET', path)));
    assert.deepEqual(again.map((r) => r.status), [204, 204, 204, 204, 204]);
  } finally {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the edition API refuses nonsense', async () => {
  const org = await server.newOrg();
  const res = await fetch(`${server.url}/_zcrm/orgs/${org.orgId}/edition`, { method: 'PUT', body: JSON.stringify({ edition: 'Gold' }) });
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), {
    code: 'INVALID_DATA', details: { param_name: 'edition' }, message: 'edition must be one of Free, Standard, Professional, Enterprise, Ultimate or off', status: 'error',
  });
  const missing = await fetch(`${server.url}/_zcrm/orgs/999/edition`, { method: 'PUT', body: JSON.stringify({ edition: 'Free' }) });
  assert.equal(missing.status, 404);
});

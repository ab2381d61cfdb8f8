import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { ensureBuilt } from '../helpers/build.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'zcrm-snap-'));
let server: TestServer;
before(async () => {
  server = await startTestServer();
  await ensureBuilt();
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function linkedOrg(s: TestServer) {
  const org = await s.newOrg();
  const campaign = (await api(s.url, org.token, 'POST', '/crm/v2/Campaigns', { data: [{ Campaign_Name: 'Snap' }] })).body.data[0].details.id as string;
  const made = await api(s.url, org.token, 'POST', '/crm/v2/Contacts', { data: [{ Last_Name: 'A' }, { Last_Name: 'B' }] });
  const ids = made.body.data.map((d: { details: { id: string } }) => d.details.id) as string[];
  await api(s.url, org.token, 'PUT', `/crm/v2/Campaigns/${campaign}/Contacts`, { data: ids.map((id) => ({ id, Member_Status: 'Sent' })) });
  const listed = async () => {
    const res = await api(s.url, org.token, 'GET', `/crm/v2/Campaigns/${campaign}/Contacts`);
    return res.status === 204 ? [] : (res.body.data as { id: string }[]).map((r) => r.id).sort();
  };
  return { ...org, campaign, ids, listed };
}

const post = async (path: string, body: unknown) => {
  const res = await fetch(server.url + path, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};

test('an org exported and imported comes back as it was, tokens included', async () => {
  const org = await linkedOrg(server);
  const snap = await server.admin('GET', `/_zcrm/snapshots?org=${org.orgId}`);
  assert.equal(snap.format, 'zcrm-local-snapshot');
  assert.equal(snap.version, 1);
  assert.deepEqual(snap.orgs.map((o: { org: { id: string } }) => o.org.id), [org.orgId]);
  await api(server.url, org.token, 'DELETE', `/crm/v2/Campaigns/${org.campaign}/Contacts?ids=${org.ids.join(',')}`);
  assert.deepEqual(await org.listed(), []);
  const imported = await post('/_zcrm/snapshots/import', snap);
  assert.deepEqual(imported, { status: 200, body: { status: 'ok', orgs: [org.orgId] } });
  assert.deepEqual(await org.listed(), [...org.ids].sort());
});

test('export to a file is atomic; reset to that file leaves exactly its orgs', async () => {
  const org = await linkedOrg(server);
  const other = await server.newOrg();
  const path = join(dir, 'one.json');
  const written = await post('/_zcrm/snapshots/export', { org: org.orgId, path });
  assert.deepEqual(written, { status: 200, body: { path, version: 1, orgs: [org.orgId] } });
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left behind');
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).orgs[0].org.id, org.orgId);
  const reset = await post('/_zcrm/reset', { path });
  assert.equal(reset.status, 200);
  const orgs = (await server.admin('GET', '/_zcrm/orgs')).orgs.map((o: { org_id: string }) => o.org_id);
  assert.deepEqual(orgs, [org.orgId]);
  assert.ok(!orgs.includes(other.orgId));
  assert.deepEqual(await org.listed(), [...org.ids].sort());
  const empty = await post('/_zcrm/reset', {});
  assert.equal(empty.status, 200);
  assert.deepEqual((await server.admin('GET', '/_zcrm/orgs')).orgs, []);
});

test('a newer format version, a malformed snapshot and relations to missing records are refused with a clear message, changing nothing', async () => {
  const org = await linkedOrg(server);
  const newer = await post('/_zcrm/snapshots/import', { format: 'zcrm-local-snapshot', version: 2, orgs: [] });
  assert.deepEqual(newer, { status: 400, body: {
    code: 'INVALID_DATA', details: {}, message: 'snapshot format version 2 is newer than this server supports (1); upgrade zcrm-local to import it', status: 'error',
  } });
  const snap = await server.admin('GET', `/_zcrm/snapshots?org=${org.orgId}`);
  snap.orgs[0].records[0].id = 12345;
  const bad = await post('/_zcrm/reset', { snapshot: snap });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.message, 'orgs[0].records[0].id: missing or of the wrong type');
  assert.deepEqual(await org.listed(), [...org.ids].sort(), 'a refused reset wipes nothing');
  const dangling = await server.admin('GET', `/_zcrm/snapshots?org=${org.orgId}`);
  const contactIndex = dangling.orgs[0].records.findIndex((r: { id: string }) => r.id === org.ids[0]);
  dangling.orgs[0].records.splice(contactIndex, 1);
  const refused = await post('/_zcrm/snapshots/import', dangling);
  assert.equal(refused.status, 400);
  assert.match(refused.body.message, /^orgs\[0\]\.relations\[\d\]: expected a Campaigns record and a Contacts record of this org$/);
  assert.deepEqual(await org.listed(), [...org.ids].sort(), 'a refused import changes nothing');
  const notOne = await post('/_zcrm/snapshots/import', { hello: 'world' });
  assert.equal(notOne.status, 400);
  assert.equal(notOne.body.message, 'a snapshot document or a path is required');
});

test('CLI: snapshot export, import and reset against a running server', async () => {
  const org = await linkedOrg(server);
  const file = join(dir, 'cli.json');
  const cli = (...args: string[]) => run(process.execPath, ['bin/zcrm-local.js', 'snapshot', ...args, '--url', server.url]);
  const out = await cli('export', '--org', org.orgId, '--out', file);
  assert.equal(out.stdout, `wrote 1 org(s) to ${file} (format version 1)\n`);
  await api(server.url, org.token, 'DELETE', `/crm/v2/Campaigns/${org.campaign}/Contacts?ids=${org.ids[0]}`);
  assert.equal((await cli('import', file)).stdout, `imported org(s) ${org.orgId}\n`);
  assert.deepEqual(await org.listed(), [...org.ids].sort());
  const newer = join(dir, 'newer.json');
  writeFileSync(newer, JSON.stringify({ format: 'zcrm-local-snapshot', version: 7, orgs: [] }));
  const refused = await cli('import', newer).catch((e) => e);
  assert.equal(refused.code, 2);
  assert.equal(refused.stderr, `zcrm-local: ${newer}: snapshot format version 7 is newer than this server supports (1); upgrade zcrm-local to import it\n`);
  assert.equal((await cli('reset', file)).stdout, `reset to ${file}: org(s) ${org.orgId}\n`);
  assert.equal((await cli('reset')).stdout, 'reset: every org removed\n');
  assert.deepEqual((await server.admin('GET', '/_zcrm/orgs')).orgs, []);
});

const SCENARIO = {
  orgs: [{
    id: '5550001', name: 'Acme', edition: { edition: 'Free', credits: 50 },
    users: [{ key: 'bob', email: 'bob@acme.example', profile: 'Standard' }],
    records: {
      Campaigns: [{ key: 'spring', Campaign_Name: 'Spring' }],
      Contacts: [{ key: 'kris', Last_Name: 'Marrier', First_Name: 'Kris' }, { key: 'capla', Last_Name: 'Paprocki', Owner: 'bob' }],
    },
    relations: [{ record: 'spring', related_list: 'Contacts', related: ['kris', 'capla'], data: { Member_Status: 'Invited' } }],
    tokens: [{ user: 'bob', scope: 'ZohoCRM.modules.ALL', access_token: `1000.${'a'.repeat(32)}.${'b'.repeat(32)}` }],
  }],
  faults: [{ preset: 'INTERNAL_ERROR', path: '/crm/v2/Deals' }],
};

test('a scenario file seeds orgs, users, records, relations, edition, tokens and fault rules at start-up', async () => {
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(SCENARIO));
  const s = await startTestServer({ scenario: file });
  try {
    const token = SCENARIO.orgs[0].tokens[0].access_token;
    const campaigns = await api(s.url, token, 'GET', '/crm/v2/Campaigns');
    assert.equal(campaigns.body.data[0].Campaign_Name, 'Spring');
    const members = await api(s.url, token, 'GET', `/crm/v2/Campaigns/${campaigns.body.data[0].id}/Contacts`);
    assert.deepEqual(members.body.data.map((r: any) => [r.Full_Name, r.Member_Status]).sort(), [['Kris Marrier', 'Invited'], ['Paprocki', 'Invited']]);
    assert.match(campaigns.body.data[0].id, /^5550001\d{12}$/);
    assert.equal((await api(s.url, token, 'GET', '/crm/v2/Deals')).status, 500);
    const edition = await s.admin('GET', '/_zcrm/orgs/5550001/edition');
    assert.deepEqual([edition.edition, edition.credits_limit], ['Free', 50]);
  } finally {
    await s.close();
  }
});

test('serve --scenario loads the file; a bad scenario stops start-up with its reason', async () => {
  const file = join(dir, 'serve-scenario.json');
  writeFileSync(file, JSON.stringify(SCENARIO));
  const child = spawn(process.execPath, ['bin/zcrm-local.js', 'serve', '--port', '0', '--db', ':memory:', '--no-demo', '--scenario', file, '--log-level', 'silent']);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => { out += c; const m = /at (http:\/\/[^ ]+) /.exec(out); if (m) resolve(m[1]); });
      child.once('exit', () => reject(new Error(`serve exited: ${out}`)));
    });
    const res = await api(url, SCENARIO.orgs[0].tokens[0].access_token, 'GET', '/crm/v2/Contacts');
    assert.equal(res.body.data.length, 2);
  } finally {
    child.kill('SIGKILL');
  }
  const bad = join(dir, 'bad-scenario.json');
  writeFileSync(bad, JSON.stringify({ orgs: [{ records: { Widgets: [{}] } }] }));
  const failed = await run(process.execPath, ['bin/zcrm-local.js', 'serve', '--port', '0', '--db', ':memory:', '--scenario', bad]).catch((e) => e);
  assert.equal(failed.code, 2);
  assert.match(failed.stderr, /scenario .*bad-scenario\.json: orgs\[0\]\.records\.Widgets: unknown module Widgets/);
});

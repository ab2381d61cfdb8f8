/**
 * `connection add|list|remove` (a temporary ZCRM_CONFIG_DIR) used by API commands through
 * `--connection`, and `records get|list|insert|delete`, run as separate processes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { campaignWithContacts, linkedIds } from '../sdk/helpers.js';
import { ensureBuilt, runCli } from './cli-process.js';

let server: TestServer;
let org: Awaited<ReturnType<TestServer['newOrg']>>;
let config: string;
before(async () => {
  await ensureBuilt();
  server = await startTestServer();
  org = await server.newOrg();
  config = mkdtempSync(join(tmpdir(), 'zcrm-cli-config-'));
});
after(async () => {
  await server.close();
  rmSync(config, { recursive: true, force: true });
});

const env = () => ({ ZCRM_CONFIG_DIR: join(config, 'zcrm-local') });

test('connections are saved readable by the user only, listed without secrets, used, and removed', async () => {
  const add = await runCli(['connection', 'add', 'crm_oauth_connection', '--url', server.url, '--token', org.token], { env: env() });
  assert.equal(add.status, 0, add.stderr);
  assert.equal(add.stdout, `saved connection crm_oauth_connection (${server.url})\n`);
  const file = join(config, 'zcrm-local', 'connections.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { connections: { crm_oauth_connection: { apiDomain: server.url, accessToken: org.token } } });

  const refresh = await runCli(['connection', 'add', 'renewing', '--url', server.url, '--refresh-token', org.refreshToken, '--client-id', org.clientId, '--client-secret', org.clientSecret], { env: env() });
  assert.equal(refresh.status, 0, refresh.stderr);
  const list = await runCli(['connection', 'list', '--json'], { env: env() });
  assert.deepEqual(JSON.parse(list.stdout), {
    connections: [
      { name: 'crm_oauth_connection', api_domain: server.url, accounts_url: null, auth: 'access_token' },
      { name: 'renewing', api_domain: server.url, accounts_url: null, auth: 'refresh_token' },
    ],
  });
  const human = await runCli(['connection', 'list'], { env: env() });
  assert.ok(!human.stdout.includes(org.token) && !human.stdout.includes(org.refreshToken) && !human.stdout.includes(org.clientSecret));
  assert.match(human.stdout, /^renewing +refresh_token +http/m);

  const { campaignId, contactIds } = await campaignWithContacts(server.url, org.token, 3);
  const one = await runCli(['delink', `Campaigns/${campaignId}/Contacts`, '--ids', contactIds[0], '--connection', 'crm_oauth_connection', '--json'], { env: env() });
  assert.equal(one.status, 0, one.stderr);
  assert.deepEqual(JSON.parse(one.stdout).summary, { removed: 1, failed: 0 });
  // The refresh-token connection mints a token, and keeps it (mode 0600) for the next run.
  const two = await runCli(['delink', `Campaigns/${campaignId}/Contacts`, '--ids', contactIds[1], '--connection', 'renewing', '--json'], { env: env() });
  assert.equal(two.status, 0, two.stderr);
  assert.equal(statSync(join(config, 'zcrm-local', 'tokens.json')).mode & 0o777, 0o600);
  assert.deepEqual(await linkedIds(server.url, org.token, `Campaigns/${campaignId}/Contacts`), [contactIds[2]]);

  const removed = await runCli(['connection', 'remove', 'crm_oauth_connection'], { env: env() });
  assert.equal(removed.status, 0);
  const gone = await runCli(['delink', `Campaigns/${campaignId}/Contacts`, '--ids', contactIds[2], '--connection', 'crm_oauth_connection'], { env: env() });
  assert.equal(gone.status, 2);
  assert.match(gone.stderr, /no connection named "crm_oauth_connection"/);
  const again = await runCli(['connection', 'remove', 'crm_oauth_connection'], { env: env() });
  assert.equal(again.status, 2);
});

test('connection add refuses incomplete credentials; XDG_CONFIG_HOME is honoured', async () => {
  const bad = await runCli(['connection', 'add', 'x', '--url', server.url, '--refresh-token', 'r'], { env: env() });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /needs --refresh-token, --client-id and --client-secret/);
  const xdg = join(config, 'xdg');
  const add = await runCli(['connection', 'add', 'eu', '--dc', 'eu', '--token', 't'], { env: { XDG_CONFIG_HOME: xdg } });
  assert.equal(add.status, 0, add.stderr);
  assert.deepEqual(JSON.parse(readFileSync(join(xdg, 'zcrm-local', 'connections.json'), 'utf8')).connections.eu, {
    apiDomain: 'https://www.zohoapis.eu', accountsUrl: 'https://accounts.zoho.eu', accessToken: 't',
  });
  assert.ok(!existsSync(join(config, 'zcrm-local', 'connections.json')) || !readFileSync(join(config, 'zcrm-local', 'connections.json'), 'utf8').includes('"eu"'));
});

test('records insert, get, list --all and delete', async () => {
  const auth = ['--url', server.url, '--token', org.token];
  const ins = await runCli(['records', 'insert', 'Leads', '--file', '-', '--json', ...auth], {
    input: JSON.stringify([{ Last_Name: 'Boyle', Company: 'Zylker' }, { Last_Name: 'Smith', Company: 'Zylker' }, { Company: 'No name' }]),
  });
  assert.equal(ins.status, 1, ins.stderr); // the third record lacks Last_Name
  const out = JSON.parse(ins.stdout);
  assert.deepEqual(out.summary, { inserted: 2, failed: 1 });
  assert.equal(out.data[0].message, 'record added');
  assert.match(out.data[0].id, /^[0-9]{19}$/);
  assert.deepEqual(out.data[2], {
    id: null, code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Last_Name', json_path: '$.data[2].Last_Name' }, message: 'required field not found', status: 'error',
  });
  const [a, b] = [out.data[0].id, out.data[1].id];

  const got = await runCli(['records', 'get', `Leads/${a}`, ...auth]);
  assert.equal(got.status, 0, got.stderr);
  assert.equal(JSON.parse(got.stdout).Last_Name, 'Boyle');
  const missing = await runCli(['records', 'get', 'Leads/1', ...auth]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no Leads record 1/);

  const all = await runCli(['records', 'list', 'Leads', '--all', '--per-page', '1', ...auth]);
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(all.stdout.trim().split('\n').map((l) => JSON.parse(l).id).sort(), [a, b].sort());

  const del = await runCli(['records', 'delete', 'Leads', '--ids', `${a},${b}`, '--json', ...auth]);
  assert.equal(del.status, 0, del.stderr);
  assert.deepEqual(JSON.parse(del.stdout).summary, { deleted: 2, failed: 0 });
  assert.equal((await runCli(['records', 'get', `Leads/${a}`, ...auth])).status, 1);
});

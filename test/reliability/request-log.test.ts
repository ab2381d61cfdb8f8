import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.close(); });

async function linkedCampaign(s: TestServer) {
  const org = await s.newOrg();
  const campaign = (await api(s.url, org.token, 'POST', '/crm/v2/Campaigns', { data: [{ Campaign_Name: 'Log' }] })).body.data[0].details.id as string;
  const made = await api(s.url, org.token, 'POST', '/crm/v2/Contacts', { data: [{ Last_Name: 'A' }, { Last_Name: 'B' }] });
  const [a, b] = made.body.data.map((d: { details: { id: string } }) => d.details.id) as string[];
  await api(s.url, org.token, 'PUT', `/crm/v2/Campaigns/${campaign}/Contacts`, { data: [{ id: a }, { id: b }] });
  return { ...org, campaign, a, b };
}

test('a bulk delink is logged with its org, operation, scopes, credits, status and per-id outcomes', async () => {
  const org = await linkedCampaign(server);
  const res = await api(server.url, org.token, 'DELETE', `/crm/v2/Campaigns/${org.campaign}/Contacts?ids=${org.a},${org.b},4000000000000000001`);
  assert.equal(res.status, 207);
  const { requests } = await server.admin('GET', `/_zcrm/requests?org=${org.orgId}&limit=1`);
  assert.equal(requests.length, 1);
  const [entry] = requests;
  assert.equal(typeof entry.seq, 'number');
  assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(typeof entry.duration_ms, 'number');
  delete entry.seq; delete entry.time; delete entry.duration_ms;
  assert.deepEqual(entry, {
    method: 'DELETE', path: `/crm/v2/Campaigns/${org.campaign}/Contacts`, query: { ids: `${org.a},${org.b},4000000000000000001` },
    operation: 'related_records.delink', org_id: org.orgId, user_id: org.userId,
    scopes_checked: ['ZohoCRM.modules.ALL', 'ZohoCRM.modules.campaigns.ALL', 'ZohoCRM.modules.campaigns.WRITE', 'ZohoCRM.modules.campaigns.DELETE'],
    credits: 1, status: 207, code: null, fault: null,
    outcomes: [
      { id: org.a, code: 'SUCCESS', status: 'success' },
      { id: org.b, code: 'SUCCESS', status: 'success' },
      { id: '4000000000000000001', code: 'INVALID_DATA', status: 'error' },
    ],
  });
});

test('errors are logged with their code; the org filter keeps one org; faults are named', async () => {
  const one = await linkedCampaign(server);
  const two = await server.newOrg();
  await api(server.url, undefined, 'GET', '/crm/v2/Leads');
  await api(server.url, two.token, 'PUT', '/crm/v2/Leads', '{not json');
  const fault = await server.admin('POST', '/_zcrm/faults', { preset: 'TOO_MANY_REQUESTS', org: one.orgId, count: 1 });
  await api(server.url, one.token, 'GET', `/crm/v2/Campaigns/${one.campaign}/Contacts`);
  const all = (await server.admin('GET', '/_zcrm/requests?limit=3')).requests;
  assert.deepEqual(all.map((e: any) => [e.operation, e.org_id, e.status, e.code, e.fault]), [
    ['records.list', null, 401, 'AUTHENTICATION_FAILURE', null],
    ['records.update', two.orgId, 400, 'UNABLE_TO_PARSE_DATA_TYPE', null],
    ['related_records.list', one.orgId, 429, 'TOO_MANY_REQUESTS', fault.fault.id],
  ]);
  assert.deepEqual(all[0].scopes_checked, []);
  const onlyTwo = (await server.admin('GET', `/_zcrm/requests?org=${two.orgId}`)).requests;
  assert.deepEqual(onlyTwo.map((e: any) => e.operation), ['records.update']);
});

test('the log is a bounded ring', async () => {
  const small = await startTestServer({ requestLogSize: 3 });
  try {
    const org = await small.newOrg();
    for (const m of ['Leads', 'Contacts', 'Accounts', 'Deals', 'Products']) await api(small.url, org.token, 'GET', `/crm/v2/${m}`);
    const log = await small.admin('GET', '/_zcrm/requests');
    assert.equal(log.size, 3);
    assert.deepEqual(log.requests.map((e: any) => e.path), ['/crm/v2/Accounts', '/crm/v2/Deals', '/crm/v2/Products']);
    await small.admin('DELETE', '/_zcrm/requests');
    assert.deepEqual((await small.admin('GET', '/_zcrm/requests')).requests, []);
  } finally {
    await small.close();
  }
});

test('no token, client secret or grant code reaches the request log or the server log', async () => {
  const lines: string[] = [];
  const logged = await startTestServer({ logLevel: 'debug', logStream: { write: (line: string) => { lines.push(line); } } });
  try {
    const made = await logged.admin('POST', '/_zcrm/orgs', {});
    const client = await logged.admin('POST', `/_zcrm/orgs/${made.org_id}/self-clients`, { scope: 'ZohoCRM.modules.ALL' });
    const form = `grant_type=authorization_code&client_id=${client.client_id}&client_secret=${client.client_secret}&code=${client.code}`;
    const tokens = await (await fetch(`${logged.url}/oauth/v2/token?${form}`, { method: 'POST' })).json();
    assert.equal(typeof tokens.access_token, 'string');
    const refresh = `grant_type=refresh_token&client_id=${client.client_id}&client_secret=${client.client_secret}&refresh_token=${tokens.refresh_token}`;
    const again = await fetch(`${logged.url}/oauth/v2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: refresh });
    const second = await again.json();
    await api(logged.url, tokens.access_token, 'GET', `/crm/v2/Leads?access_token=${tokens.access_token}&client_secret=${client.client_secret}`);
    await api(logged.url, second.access_token, 'DELETE', '/crm/v2/Campaigns/1/Contacts?ids=2');
    await api(logged.url, 'not-a-real-token-but-secret-anyway', 'GET', '/crm/v2/Leads');
    await fetch(`${logged.url}/oauth/v2/token/revoke?token=${tokens.refresh_token}`, { method: 'POST' });
    const log = JSON.stringify(await logged.admin('GET', '/_zcrm/requests'));
    const text = lines.join('');
    assert.ok(lines.filter((l) => l.includes('"msg":"call"')).length >= 6, 'each call is logged at debug level');
    assert.match(log, /"operation":"oauth\.token"/);
    for (const secret of [tokens.access_token, tokens.refresh_token, second.access_token, client.client_secret, client.code, 'not-a-real-token-but-secret-anyway']) {
      assert.ok(!log.includes(secret), `request log holds no secret (${secret.slice(0, 9)}…)`);
      assert.ok(!text.includes(secret), `server log holds no secret (${secret.slice(0, 9)}…)`);
    }
    assert.doesNotMatch(text, /Zoho-oauthtoken/i, 'no Authorization header in the server log');
  } finally {
    await logged.close();
  }
});

test('every way a call is answered is logged once: a bare-status fault, an accounts call, a preflight, an unknown method', async () => {
  const small = await startTestServer({ requestLogSize: 10 });
  try {
    const org = await small.newOrg();
    const fault = await small.admin('POST', '/_zcrm/faults', { status: 503, method: 'GET', path: '/crm/v2/Leads', count: 1 });
    assert.equal((await api(small.url, org.token, 'GET', '/crm/v2/Leads')).status, 503);
    const token = await fetch(`${small.url}/oauth/v2/token`, { method: 'POST', body: 'grant_type=refresh_token', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(token.status, 200);
    await token.text();
    const pre = await fetch(`${small.url}/crm/v2/Leads`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5500', 'access-control-request-method': 'DELETE' } });
    await pre.text();
    const odd = await fetch(`${small.url}/crm/v2/Leads`, { method: 'PROPFIND', headers: { authorization: `Zoho-oauthtoken ${org.token}` } });
    await odd.text();
    const log = (await small.admin('GET', '/_zcrm/requests')).requests;
    assert.deepEqual(log.map((e: any) => [e.method, e.path, e.operation, e.status, e.code, e.fault]), [
      ['GET', '/crm/v2/Leads', 'records.list', 503, null, fault.fault.id],
      ['POST', '/oauth/v2/token', 'oauth.token', 200, 'invalid_client', null],
      ['OPTIONS', '/crm/v2/Leads', 'unknown', pre.status, null, null],
      ['PROPFIND', '/crm/v2/Leads', 'unknown', odd.status, 'INVALID_URL_PATTERN', null],
    ]);
  } finally {
    await small.close();
  }
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let org: { orgId: string; token: string; campaign: string; contact: string };
before(async () => {
  server = await startTestServer();
  const o = await server.newOrg();
  const c = await api(server.url, o.token, 'POST', '/crm/v2/Campaigns', { data: [{ Campaign_Name: 'Spring' }] });
  const k = await api(server.url, o.token, 'POST', '/crm/v2/Contacts', { data: [{ Last_Name: 'Marrier' }] });
  org = { ...o, campaign: c.body.data[0].details.id, contact: k.body.data[0].details.id };
});
after(async () => { await server.close(); });
beforeEach(async () => { await server.admin('DELETE', '/_zcrm/faults'); });

const list = () => api(server.url, org.token, 'GET', `/crm/v2/Campaigns/${org.campaign}/Contacts`);

test('preset INVALID_TOKEN fires once, then calls go through', async () => {
  const made = await server.admin('POST', '/_zcrm/faults', { preset: 'INVALID_TOKEN', count: 1 });
  assert.equal(made.fault.id, '1');
  const first = await list();
  assert.equal(first.status, 401);
  assert.deepEqual(first.body, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
  assert.equal((await list()).status, 204);
  const listed = await server.admin('GET', '/_zcrm/faults');
  assert.equal(listed.faults[0].hits, 1);
  assert.equal(listed.faults[0].remaining, 0);
  assert.deepEqual(listed.presets, ['INVALID_TOKEN', 'TOO_MANY_REQUESTS', 'INTERNAL_ERROR']);
});

test('preset TOO_MANY_REQUESTS matches method and path glob only', async () => {
  await server.admin('POST', '/_zcrm/faults', { preset: 'TOO_MANY_REQUESTS', method: 'DELETE', path: '/crm/*/Campaigns/*/Contacts' });
  const del = await api(server.url, org.token, 'DELETE', `/crm/v2/Campaigns/${org.campaign}/Contacts?ids=${org.contact}`);
  assert.equal(del.status, 429);
  assert.deepEqual(del.body, { code: 'TOO_MANY_REQUESTS', details: {}, message: 'You have exceeded the number of API calls allowed', status: 'error' });
  assert.equal((await list()).status, 204);
  const single = await api(server.url, org.token, 'DELETE', `/crm/v2/Campaigns/${org.campaign}/Contacts/${org.contact}`);
  assert.equal(single.status, 400, 'the glob does not match a longer path');
});

test('preset INTERNAL_ERROR by module and org; other orgs are untouched', async () => {
  await server.admin('POST', '/_zcrm/faults', { preset: 'INTERNAL_ERROR', module: 'campaigns', org: org.orgId });
  const res = await list();
  assert.equal(res.status, 500);
  assert.deepEqual(res.body, { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' });
  assert.equal((await api(server.url, org.token, 'GET', '/crm/v2/Contacts')).status, 200);
  const other = await server.newOrg();
  assert.equal((await api(server.url, other.token, 'GET', '/crm/v2/Campaigns')).status, 204);
});

test('any Zoho code with its status, a regex path, and a bare HTTP status', async () => {
  await server.admin('POST', '/_zcrm/faults', {
    error: { code: 'NO_PERMISSION', status: 403, message: 'Permission denied to delete records', details: { permissions: ['Crm_Implied_Edit_Campaigns'] } },
    path_regex: '^/crm/v2/Campaigns/[0-9]+/Contacts$', method: 'DELETE',
  });
  await server.admin('POST', '/_zcrm/faults', { status: 503, method: 'GET', path: '/crm/v2/Contacts' });
  const del = await api(server.url, org.token, 'DELETE', `/crm/v2/Campaigns/${org.campaign}/Contacts?ids=${org.contact}`);
  assert.equal(del.status, 403);
  assert.deepEqual(del.body, { code: 'NO_PERMISSION', details: { permissions: ['Crm_Implied_Edit_Campaigns'] }, message: 'Permission denied to delete records', status: 'error' });
  const bare = await api(server.url, org.token, 'GET', '/crm/v2/Contacts');
  assert.equal(bare.status, 503);
  assert.equal(bare.text, '');
  await server.admin('POST', '/_zcrm/faults', { error: 'OAUTH_SCOPE_MISMATCH', path: '/crm/v2/org' });
  const scope = await api(server.url, org.token, 'GET', '/crm/v2/org');
  assert.deepEqual([scope.status, scope.body], [401, { code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'Unauthorized', status: 'error' }]);
});

test('a probability draws the same sequence for the same seed', async () => {
  const draw = async () => {
    await server.admin('DELETE', '/_zcrm/faults');
    await server.admin('POST', '/_zcrm/faults', { preset: 'INTERNAL_ERROR', probability: 0.5, seed: 42 });
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await list()).status);
    return statuses;
  };
  const first = await draw();
  const second = await draw();
  assert.deepEqual(second, first);
  const failures = first.filter((s) => s === 500).length;
  assert.ok(failures > 0 && failures < 24, `some but not all calls fail (${failures}/24)`);
  assert.ok(first.every((s) => s === 500 || s === 204));
});

test('a latency-only rule answers normally, late', async () => {
  await server.admin('POST', '/_zcrm/faults', { latency_ms: 150, path: '/crm/**' });
  const res = await list();
  assert.equal(res.status, 204);
  assert.equal((await server.admin('GET', '/_zcrm/faults')).faults[0].hits, 1);
});

test('rules are listed, removed one by one and refused when malformed', async () => {
  const a = await server.admin('POST', '/_zcrm/faults', { preset: 'INVALID_TOKEN', path: '/crm/v2/Leads' });
  const b = await server.admin('POST', '/_zcrm/faults', { preset: 'INTERNAL_ERROR', path: '/crm/v2/Deals' });
  assert.deepEqual((await server.admin('GET', '/_zcrm/faults')).faults.map((f: { id: string }) => f.id), [a.fault.id, b.fault.id]);
  await server.admin('DELETE', `/_zcrm/faults/${a.fault.id}`);
  assert.deepEqual((await server.admin('GET', '/_zcrm/faults')).faults.map((f: { id: string }) => f.id), [b.fault.id]);
  const again = await fetch(`${server.url}/_zcrm/faults/${a.fault.id}`, { method: 'DELETE' });
  assert.equal(again.status, 404);
  for (const [body, message] of [
    [{ preset: 'SOMETHING' }, 'preset must be one of INVALID_TOKEN, TOO_MANY_REQUESTS, INTERNAL_ERROR'],
    [{ error: 'MY_CODE' }, 'error.status (400-599) is required for MY_CODE'],
    [{ path: '/crm/**' }, 'a rule needs an error, a status or a latency_ms'],
    [{ preset: 'INTERNAL_ERROR', probability: 2 }, 'probability must be a number from 0 to 1'],
    [{ preset: 'INTERNAL_ERROR', path_regex: '([' }, 'path_regex is not a valid regular expression'],
  ] as const) {
    const res = await fetch(`${server.url}/_zcrm/faults`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { code: 'INVALID_DATA', details: {}, message, status: 'error' });
  }
});

test('faults reach the accounts endpoints too', async () => {
  await server.admin('POST', '/_zcrm/faults', { preset: 'INTERNAL_ERROR', path: '/oauth/v2/token', count: 1 });
  const res = await fetch(`${server.url}/oauth/v2/token`, { method: 'POST', body: 'grant_type=refresh_token', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' });
});

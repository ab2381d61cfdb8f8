/**
 * Data is isolated per org (issue 2, "Auth as Zoho does it"): a token of org A cannot see or change
 * org B's records or relations — every answer is the one it would get if the ids did not exist.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertError, badRelated, newCrm } from '../helpers/crm.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let a: Awaited<ReturnType<typeof newCrm>>;
let b: Awaited<ReturnType<typeof newCrm>>;
let bCampaign: string;
let bLead: string;
let bNote: string;

before(async () => {
  server = await startTestServer();
  a = await newCrm(server);
  b = await newCrm(server);
  bCampaign = await b.one('Campaigns');
  bLead = await b.one('Leads');
  await b.link('Campaigns', bCampaign, 'Leads', [{ id: bLead, Member_Status: 'Sent' }]);
  bNote = await b.note('Leads', bLead);
});
after(async () => { await server.close(); });

const PARENT_MISSING = ['INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 1 }] as const;

test('org B\'s records are invisible to org A', async () => {
  assert.equal((await a.call('GET', `/crm/v2/Leads/${bLead}`)).status, 204);
  assert.equal((await a.call('GET', `/crm/v2/Notes/${bNote}`)).status, 204);
  assert.equal((await a.call('GET', '/crm/v2/Leads')).status, 204);
  assert.equal((await a.call('GET', `/crm/v2/Leads?ids=${bLead}`)).status, 204);
  assertError(await a.call('GET', `/crm/v2/Campaigns/${bCampaign}/Leads`), 400, ...PARENT_MISSING);
});

test('org A cannot delink, link or delete notes under org B\'s parent', async () => {
  assertError(await a.call('DELETE', `/crm/v2/Campaigns/${bCampaign}/Leads?ids=${bLead}`), 400, ...PARENT_MISSING);
  assertError(await a.call('DELETE', `/crm/v2/Leads/${bLead}/Campaigns/${bCampaign}`), 400, ...PARENT_MISSING);
  assertError(await a.call('PUT', `/crm/v2/Campaigns/${bCampaign}/Leads`, { data: [{ id: bLead }] }), 400, ...PARENT_MISSING);
  assertError(await a.call('DELETE', `/crm/v2/Leads/${bLead}/Notes/${bNote}`), 400, ...PARENT_MISSING);
});

test('org B\'s ids under org A\'s own parent are invalid related ids', async () => {
  const aCampaign = await a.one('Campaigns');
  const aLead = await a.one('Leads');
  const delink = await a.call('DELETE', `/crm/v2/Campaigns/${aCampaign}/Leads?ids=${bLead}`);
  assert.deepEqual({ status: delink.status, body: delink.body }, { status: 400, body: { data: [badRelated(bLead)] } });
  const link = await a.call('PUT', `/crm/v2/Campaigns/${aCampaign}/Leads`, { data: [{ id: bLead }] });
  assert.deepEqual({ status: link.status, body: link.body }, { status: 400, body: { data: [badRelated(bLead)] } });
  const notes = await a.call('DELETE', `/crm/v2/Leads/${aLead}/Notes?ids=${bNote}`);
  assert.deepEqual({ status: notes.status, body: notes.body }, { status: 400, body: { data: [badRelated(bNote)] } });
});

test('org A cannot update or delete org B\'s records, nor point lookups at them', async () => {
  const update = await a.call('PUT', `/crm/v2/Leads/${bLead}`, { data: [{ Last_Name: 'Taken' }] });
  assert.deepEqual({ status: update.status, body: update.body }, {
    status: 400, body: { data: [{ code: 'INVALID_DATA', details: { id: bLead }, message: 'the id given seems to be invalid', status: 'error' }] },
  });
  const del = await a.call('DELETE', `/crm/v2/Leads?ids=${bLead}`);
  assert.deepEqual({ status: del.status, body: del.body }, {
    status: 400, body: { data: [{ code: 'INVALID_DATA', details: { id: bLead }, message: 'the id given seems to be invalid', status: 'error' }] },
  });
  const note = await a.call('POST', '/crm/v2/Notes', { data: [{ Note_Content: 'x', Parent_Id: bLead, se_module: 'Leads' }] });
  assert.equal(note.status, 400);
  assert.deepEqual(note.body.data[0].details, { api_name: 'Parent_Id', json_path: '$.data[0].Parent_Id', id: bLead });
  const owner = await a.call('POST', '/crm/v2/Leads', { data: [{ Last_Name: 'x', Owner: { id: b.userId } }] });
  assert.deepEqual(owner.body.data[0], { code: 'INVALID_DATA', details: { api_name: 'Owner', json_path: '$.data[0].Owner' }, message: 'invalid data', status: 'error' });
});

test('after all that, org B\'s data is untouched', async () => {
  const lead = await b.call('GET', `/crm/v2/Leads/${bLead}`);
  assert.equal(lead.body.data[0].Last_Name, 'Rec 0');
  const listed = await b.call('GET', `/crm/v2/Campaigns/${bCampaign}/Leads`);
  assert.deepEqual(listed.body.data.map((r: { id: string; Member_Status: string }) => [r.id, r.Member_Status]), [[bLead, 'Sent']]);
  assert.equal((await b.call('GET', `/crm/v2/Notes/${bNote}`)).status, 200);
});

test('org A\'s admin token is no token for org B\'s users and settings', async () => {
  const users = await a.call('GET', '/crm/v2/users');
  assert.ok(users.body.users.every((u: { id: string }) => u.id !== b.userId));
  const org = await a.call('GET', '/crm/v2/org');
  assert.equal(org.body.org[0].id, a.orgId);
});

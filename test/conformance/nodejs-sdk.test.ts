/**
 * Zoho's official @zohocrm/nodejs-sdk-2.0, unmodified, against an in-process server: init with a
 * grant code or a refresh token, then delinkRecords (sent as `?ids=a,b&`, literal comma and a
 * trailing `&`) and delinkRecord. One token mode per process (fixtures/sdk-run.cjs).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { big, createRecord, link, related, runSdk } from './sdk-runner.js';

let server: TestServer;
let org: Awaited<ReturnType<TestServer['newOrg']>>;
/** Every request line the server saw, to show which encodings the SDK really sends. */
const seen: string[] = [];

before(async () => {
  server = await startTestServer();
  server.app.server.on('request', (req: { method?: string; url?: string }) => { seen.push(`${req.method} ${req.url}`); });
  org = await server.newOrg();
});
after(async () => { await server.close(); });

/** A campaign with `linked` contacts linked to it and `unlinked` contacts that exist but are not. */
async function campaignWith(linked: number, unlinked: number): Promise<{ campaign: string; linked: string[]; unlinked: string[] }> {
  const t = org.token;
  const campaign = await createRecord(server.url, t, 'Campaigns', { Campaign_Name: 'Node SDK webinar' });
  const make = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await createRecord(server.url, t, 'Contacts', { Last_Name: `Contact ${i}` }));
    return ids;
  };
  const out = { campaign, linked: await make(linked), unlinked: await make(unlinked) };
  await link(server.url, t, `Campaigns/${campaign}/Contacts`, out.linked.map((id) => ({ id, Member_Status: 'Invited' })));
  return out;
}

const removed = (id: string) => ({ class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation removed', details: { id: big(id) } });
const notFound = (id: string) => ({ class: 'APIException', code: 'INVALID_DATA', status: 'error', message: 'relation not found', details: { id: big(id) } });

test('grant code from a self client: delinkRecords per-id results, then delinkRecord', async () => {
  const c = await campaignWith(2, 1);
  const client = await server.admin('POST', `/_zcrm/orgs/${org.orgId}/self-clients`, { scope: 'ZohoCRM.modules.campaigns.ALL' });
  const steps = await runSdk({
    sdk: 'nodejs', base: server.url, clientId: client.client_id, clientSecret: client.client_secret, grantToken: client.code,
    steps: [
      { op: 'delinkRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: c.campaign, ids: [c.linked[0], c.unlinked[0]] },
      { op: 'delinkRecord', module: 'Campaigns', relatedList: 'Contacts', recordId: c.campaign, relatedId: c.linked[1] },
      { op: 'delinkRecord', module: 'Campaigns', relatedList: 'Contacts', recordId: c.campaign, relatedId: c.linked[1] },
    ],
  });
  assert.deepEqual(steps, [
    { statusCode: 207, class: 'ActionWrapper', data: [removed(c.linked[0]), notFound(c.unlinked[0])] },
    { statusCode: 200, class: 'ActionWrapper', data: [removed(c.linked[1])] },
    { statusCode: 400, class: 'ActionWrapper', data: [notFound(c.linked[1])] },
  ]);
  // This SDK builds the query itself: a literal comma and a trailing `&`.
  assert.ok(seen.includes(`DELETE /crm/v2/Campaigns/${c.campaign}/Contacts?ids=${c.linked[0]},${c.unlinked[0]}&`), seen.join('\n'));
  assert.ok(seen.includes('POST /oauth/v2/token'));
  assert.equal((await related(server.url, org.token, `Campaigns/${c.campaign}/Contacts`)).size, 0);
});

test('refresh token: delinkRecords of two linked ids and a delinkRecord from the other side', async () => {
  const c = await campaignWith(3, 0);
  const minted = await server.admin('POST', `/_zcrm/orgs/${org.orgId}/tokens`, { scope: 'ZohoCRM.modules.ALL' });
  const steps = await runSdk({
    sdk: 'nodejs', base: server.url, clientId: minted.client_id, clientSecret: minted.client_secret, refreshToken: minted.refresh_token,
    steps: [
      { op: 'delinkRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: c.campaign, ids: [c.linked[0], c.linked[1]] },
      // The same relation seen from the contact's side.
      { op: 'delinkRecord', module: 'Contacts', relatedList: 'Campaigns', recordId: c.linked[2], relatedId: c.campaign },
    ],
  });
  assert.deepEqual(steps, [
    { statusCode: 200, class: 'ActionWrapper', data: [removed(c.linked[0]), removed(c.linked[1])] },
    { statusCode: 200, class: 'ActionWrapper', data: [removed(c.campaign)] },
  ]);
  assert.equal((await related(server.url, org.token, `Campaigns/${c.campaign}/Contacts`)).size, 0);
});

test('a token without a delete scope surfaces OAUTH_SCOPE_MISMATCH', async () => {
  const c = await campaignWith(1, 0);
  const token = await server.tokenFor(org.orgId, 'ZohoCRM.modules.campaigns.READ');
  const [s] = await runSdk({
    sdk: 'nodejs', base: server.url, clientId: 'unused', clientSecret: 'unused', accessToken: token,
    steps: [{ op: 'delinkRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: c.campaign, ids: c.linked }],
  });
  assert.deepEqual(s, { statusCode: 401, class: 'APIException', code: 'OAUTH_SCOPE_MISMATCH', status: 'error', message: 'Unauthorized', details: {} });
  assert.equal((await related(server.url, org.token, `Campaigns/${c.campaign}/Contacts`)).size, 1);
});

test('link, list and records calls work the same through this SDK', async () => {
  const c = await campaignWith(1, 1);
  const lead = await createRecord(server.url, org.token, 'Leads', { Last_Name: 'Kitzman', Company: 'Benton', Lead_Status: 'Contacted' });
  const token = await server.tokenFor(org.orgId, 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL');
  const steps = await runSdk({
    sdk: 'nodejs', base: server.url, clientId: 'unused', clientSecret: 'unused', accessToken: token,
    steps: [
      { op: 'updateRelatedRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: c.campaign, records: [{ id: c.unlinked[0], Member_Status: 'Opened' }] },
      { op: 'getRelatedRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: c.campaign, page: 1, perPage: 200 },
      { op: 'getRecord', module: 'Leads', recordId: lead },
      { op: 'createRecords', module: 'Leads', records: [{ Last_Name: 'Paprocki', Company: 'Feltz' }] },
      { op: 'deleteRecords', module: 'Leads', ids: [lead] },
    ],
  });
  assert.deepEqual(steps[0], {
    statusCode: 200, class: 'ActionWrapper',
    data: [{ class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation updated', details: { id: big(c.unlinked[0]) } }],
  });
  assert.equal(steps[1].statusCode, 200);
  const listed = steps[1].data.map((r: any) => [r.id.$bigint, r.Member_Status, r.Owner.$class]).sort();
  assert.deepEqual(listed, [[c.linked[0], 'Invited', 'User'], [c.unlinked[0], 'Opened', 'User']].sort());
  assert.deepEqual(steps[1].info, { perPage: 200, count: 2, page: 1, moreRecords: false });
  assert.deepEqual(steps[2].data[0].id, big(lead));
  assert.deepEqual(steps[2].data[0].Lead_Status, { $choice: 'Contacted' });
  assert.equal(steps[3].statusCode, 201);
  assert.equal(steps[3].data[0].message, 'record added');
  assert.deepEqual(steps[4], {
    statusCode: 200, class: 'ActionWrapper',
    data: [{ class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'record deleted', details: { id: lead } }],
  });
});

/**
 * Zoho's official @zohocrm/typescript-sdk-2.0, unmodified, against an in-process server: the
 * three token modes (grant code from a self client, refresh token, access token), the related
 * records calls around delink, records calls, and a scope error. Each token mode runs in its own
 * process (fixtures/sdk-run.cjs) because the SDK keeps its initialisation in module state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { big, createRecord, link, related, runSdk } from './sdk-runner.js';

let server: TestServer;
let org: Awaited<ReturnType<TestServer['newOrg']>>;
let campaign: string;
let contactA: string;
let contactB: string;
let contactC: string;
/** Every request line the server saw, to show which encodings the SDK really sends. */
const seen: string[] = [];

before(async () => {
  server = await startTestServer();
  server.app.server.on('request', (req: { method?: string; url?: string }) => { seen.push(`${req.method} ${req.url}`); });
  org = await server.newOrg();
  const t = org.token;
  campaign = await createRecord(server.url, t, 'Campaigns', { Campaign_Name: 'Spring Webinar', Type: 'Webinar', Status: 'Active' });
  contactA = await createRecord(server.url, t, 'Contacts', { First_Name: 'Kris', Last_Name: 'Marrier', Email: 'kris@zylker.example' });
  contactB = await createRecord(server.url, t, 'Contacts', { First_Name: 'Capla', Last_Name: 'Paprocki', Email: 'capla@zylker.example' });
  contactC = await createRecord(server.url, t, 'Contacts', { First_Name: 'Simon', Last_Name: 'Morasca' });
  await link(server.url, t, `Campaigns/${campaign}/Contacts`, [
    { id: contactA, Member_Status: 'Invited' }, { id: contactB, Member_Status: 'Responded' },
  ]);
});
after(async () => { await server.close(); });

describe('grant token from a self client', () => {
  let client: Record<string, any>;
  let steps: Record<string, any>[];
  let leadId: string;

  before(async () => {
    client = await server.admin('POST', `/_zcrm/orgs/${org.orgId}/self-clients`, { scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL' });
    steps = await runSdk({
      sdk: 'typescript', base: server.url, clientId: client.client_id, clientSecret: client.client_secret, grantToken: client.code,
      steps: [
        { op: 'delinkRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign, ids: [contactA, contactC] },
        { op: 'delinkRecord', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign, relatedId: contactB },
        { op: 'updateRelatedRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign, records: [{ id: contactC, Member_Status: 'Sent' }] },
        { op: 'getRelatedRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign, page: 1, perPage: 2 },
        { op: 'getRecord', module: 'Contacts', recordId: contactA },
        { op: 'createRecords', module: 'Leads', records: [{ Last_Name: 'Smith', Company: 'ACME', Email: 'smith@acme.example' }] },
      ],
    });
    leadId = steps[5].data?.[0]?.details?.id;
  });

  test('delinkRecords with a linked and an unlinked id gives per-id SuccessResponse and APIException', () => {
    assert.deepEqual(steps[0], {
      statusCode: 207, class: 'ActionWrapper',
      data: [
        { class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation removed', details: { id: big(contactA) } },
        { class: 'APIException', code: 'INVALID_DATA', status: 'error', message: 'relation not found', details: { id: big(contactC) } },
      ],
    });
  });

  test('the SDK sent the ids comma-joined and percent-encoded, and read metadata before related-record calls', () => {
    assert.ok(seen.includes(`DELETE /crm/v2/Campaigns/${campaign}/Contacts?ids=${contactA}%2C${contactC}`), seen.join('\n'));
    assert.ok(seen.includes('GET /crm/v2/settings/related_lists?module=Campaigns'));
    assert.ok(seen.includes('GET /crm/v2/settings/fields?module=Contacts'));
    // The Contacts Account_Name lookup made it read the Accounts fields too: v2 names lookup modules as strings.
    assert.ok(seen.includes('GET /crm/v2/settings/fields?module=Accounts'));
    assert.ok(!seen.some((l) => l.includes('%5Bobject')), 'no request for a module named [object Object]');
  });

  test('delinkRecord removes one relation', () => {
    assert.deepEqual(steps[1], {
      statusCode: 200, class: 'ActionWrapper',
      data: [{ class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation removed', details: { id: big(contactB) } }],
    });
  });

  test('updateRelatedRecords links a contact with Member_Status', () => {
    assert.deepEqual(steps[2], {
      statusCode: 200, class: 'ActionWrapper',
      data: [{ class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation updated', details: { id: big(contactC) } }],
    });
  });

  test('getRelatedRecords returns typed records with the relation data', () => {
    const s = steps[3];
    assert.equal(s.statusCode, 200);
    assert.equal(s.class, 'ResponseWrapper');
    assert.deepEqual(s.info, { perPage: 2, count: 1, page: 1, moreRecords: false });
    assert.equal(s.data.length, 1);
    const r = s.data[0];
    assert.equal(r.$class, 'Record');
    assert.deepEqual(r.id, big(contactC));
    assert.equal(r.Last_Name, 'Morasca');
    assert.equal(r.Member_Status, 'Sent');
    // Field metadata (fetched through settings/related_lists and settings/fields) typed the owner as a User.
    assert.equal(r.Owner.$class, 'User');
    assert.deepEqual(r.Owner.id, big(org.userId));
    assert.match(r.Created_Time.$date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  test('getRecord returns the record with its id as an exact bigint', () => {
    const s = steps[4];
    assert.equal(s.statusCode, 200);
    assert.equal(s.class, 'ResponseWrapper');
    const r = s.data[0];
    assert.deepEqual(r.id, big(contactA));
    assert.equal(r.First_Name, 'Kris');
    assert.equal(r.Email, 'kris@zylker.example');
    assert.equal(r.Owner.$class, 'User');
  });

  test('createRecords adds a lead', () => {
    const s = steps[5];
    assert.equal(s.statusCode, 201);
    assert.equal(s.class, 'ActionWrapper');
    assert.equal(s.data.length, 1);
    const item = s.data[0];
    assert.equal(item.class, 'SuccessResponse');
    assert.equal(item.code, 'SUCCESS');
    assert.equal(item.message, 'record added');
    assert.equal(item.status, 'success');
    assert.match(leadId, /^[0-9]{19}$/);
  });

  test('the server state after the SDK calls, read back through the REST API', async () => {
    const members = await related(server.url, org.token, `Campaigns/${campaign}/Contacts`);
    assert.deepEqual([...members.keys()], [contactC]);
    assert.equal(members.get(contactC)!.Member_Status, 'Sent');
    const lead = await api(server.url, org.token, 'GET', `/crm/v2/Leads/${leadId}`);
    assert.equal(lead.status, 200);
    assert.equal(lead.body.data[0].Last_Name, 'Smith');
    assert.equal(lead.body.data[0].Company, 'ACME');
    assert.equal(lead.body.data[0].Owner.id, org.userId);
  });

  test('the SDK exchanged the grant code, so it cannot be exchanged again', async () => {
    const res = await fetch(`${server.url}/oauth/v2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: client.client_id, client_secret: client.client_secret, code: client.code }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { error: 'invalid_code' });
  });
});

describe('refresh token: products and price books, from both sides', () => {
  let product: string;
  let bookA: string;
  let bookB: string;
  let steps: Record<string, any>[];

  before(async () => {
    const t = org.token;
    product = await createRecord(server.url, t, 'Products', { Product_Name: 'Zylker Router', Unit_Price: 120 });
    bookA = await createRecord(server.url, t, 'Price_Books', { Price_Book_Name: 'Retail', Active: true });
    bookB = await createRecord(server.url, t, 'Price_Books', { Price_Book_Name: 'Partner', Active: true });
    await link(server.url, t, `Products/${product}/Price_Books`, [{ id: bookA, list_price: 99.5 }]);
    const minted = await server.admin('POST', `/_zcrm/orgs/${org.orgId}/tokens`, { scope: 'ZohoCRM.modules.products.ALL,ZohoCRM.modules.pricebooks.ALL,ZohoCRM.settings.ALL' });
    steps = await runSdk({
      sdk: 'typescript', base: server.url, clientId: minted.client_id, clientSecret: minted.client_secret, refreshToken: minted.refresh_token,
      steps: [
        { op: 'updateRelatedRecords', module: 'Products', relatedList: 'Price_Books', recordId: product, records: [{ id: bookB, list_price: 80 }, { id: bookA }] },
        { op: 'delinkRecords', module: 'Products', relatedList: 'Price_Books', recordId: product, ids: [bookA, bookB] },
        { op: 'delinkRecord', module: 'Price_Books', relatedList: 'Products', recordId: bookB, relatedId: product },
      ],
    });
  });

  test('updateRelatedRecords needs list_price per item', () => {
    // The SDK keeps only the details keys its schema declares for related_records.APIException
    // (permissions, id, param_name), so the server's api_name and json_path do not come through.
    assert.deepEqual(steps[0], {
      statusCode: 207, class: 'ActionWrapper',
      data: [
        { class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation updated', details: { id: big(bookB) } },
        { class: 'APIException', code: 'MANDATORY_NOT_FOUND', status: 'error', message: 'required field not found', details: {} },
      ],
    });
  });

  test('delinkRecords removes both price books', () => {
    assert.deepEqual(steps[1], {
      statusCode: 200, class: 'ActionWrapper',
      data: [
        { class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation removed', details: { id: big(bookA) } },
        { class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation removed', details: { id: big(bookB) } },
      ],
    });
  });

  test('delinkRecord from the price book side of an already removed relation gives relation not found', async () => {
    assert.deepEqual(steps[2], {
      statusCode: 400, class: 'ActionWrapper',
      data: [{ class: 'APIException', code: 'INVALID_DATA', status: 'error', message: 'relation not found', details: { id: big(product) } }],
    });
    assert.equal((await related(server.url, org.token, `Products/${product}/Price_Books`)).size, 0);
  });
});

describe('single related records and records, with picklist validation and auto-refreshed field metadata', () => {
  let campaign2: string;
  let lead1: string;
  let lead2: string;
  let steps: Record<string, any>[];

  before(async () => {
    const t = org.token;
    campaign2 = await createRecord(server.url, t, 'Campaigns', { Campaign_Name: 'Autumn Trade Show', Type: 'Trade Show' });
    lead1 = await createRecord(server.url, t, 'Leads', { Last_Name: 'Venere', Company: 'Chanay', Lead_Status: 'Contacted' });
    lead2 = await createRecord(server.url, t, 'Leads', { Last_Name: 'Tollner', Company: 'Morlong' });
    await link(server.url, t, `Campaigns/${campaign2}/Contacts`, [{ id: contactA, Member_Status: 'Received' }]);
    const token = await server.tokenFor(org.orgId, 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL');
    steps = await runSdk({
      sdk: 'typescript', base: server.url, clientId: 'unused', clientSecret: 'unused', accessToken: token,
      autoRefreshFields: true, pickListValidation: true,
      steps: [
        { op: 'getRelatedRecord', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign2, relatedId: contactA },
        { op: 'updateRelatedRecord', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign2, relatedId: contactB, records: [{ Member_Status: 'Sent' }] },
        { op: 'getRecords', module: 'Leads', ids: [lead1] },
        { op: 'createRecords', module: 'Leads', records: [{ Last_Name: 'Figeroa', Lead_Status: { $choice: 'Not Contacted' } }] },
        { op: 'createRecords', module: 'Leads', records: [{ Last_Name: 'Corrio', Lead_Status: { $choice: 'Bogus' } }] },
        { op: 'updateRecord', module: 'Leads', recordId: lead1, records: [{ Company: 'Globex' }] },
        { op: 'updateRecords', module: 'Leads', records: [{ id: lead1, Lead_Status: { $choice: 'Junk Lead' } }] },
        { op: 'deleteRecords', module: 'Leads', ids: [lead2, '1234567890123456789'] },
      ],
    });
  });

  test('getRelatedRecord and updateRelatedRecord', () => {
    const one = steps[0];
    assert.equal(one.statusCode, 200);
    assert.equal(one.class, 'ResponseWrapper');
    assert.equal(one.data.length, 1);
    assert.deepEqual(one.data[0].id, big(contactA));
    assert.equal(one.data[0].Member_Status, 'Received');
    assert.deepEqual(steps[1], {
      statusCode: 200, class: 'ActionWrapper',
      data: [{ class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation updated', details: { id: big(contactB) } }],
    });
  });

  test('auto-refreshed metadata: settings/modules, then the fields of every module', () => {
    assert.ok(seen.includes('GET /crm/v2/settings/modules'), seen.join('\n'));
    for (const m of ['Leads', 'Contacts', 'Accounts', 'Deals', 'Campaigns', 'Products', 'Price_Books', 'Notes']) {
      assert.ok(seen.includes(`GET /crm/v2/settings/fields?module=${m}`), m);
    }
  });

  test('getRecords by ids types the picklist as a Choice', () => {
    const s = steps[2];
    assert.equal(s.statusCode, 200);
    assert.equal(s.data.length, 1);
    assert.deepEqual(s.data[0].id, big(lead1));
    assert.deepEqual(s.data[0].Lead_Status, { $choice: 'Contacted' });
  });

  test('picklist validation uses the served pick_list_values: a known value is sent, an unknown one refused', () => {
    assert.equal(steps[3].statusCode, 201);
    assert.equal(steps[3].data[0].message, 'record added');
    assert.equal(steps[4].thrown, 'SDKException');
    assert.equal(steps[4].code, 'UNACCEPTED VALUES ERROR');
    assert.deepEqual(JSON.parse(steps[4].message)['accepted-values'], [
      '-None-', 'Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified', 'Not Qualified',
    ]);
  });

  test('updateRecord, updateRecords and deleteRecords', async () => {
    for (const s of [steps[5], steps[6]]) {
      assert.equal(s.statusCode, 200);
      assert.equal(s.data.length, 1);
      assert.equal(s.data[0].class, 'SuccessResponse');
      assert.equal(s.data[0].message, 'record updated');
      // record.SuccessResponse types details.id as String.
      assert.equal(s.data[0].details.id, lead1);
    }
    assert.deepEqual(steps[7], {
      statusCode: 207, class: 'ActionWrapper',
      data: [
        { class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'record deleted', details: { id: lead2 } },
        { class: 'APIException', code: 'INVALID_DATA', status: 'error', message: 'the id given seems to be invalid', details: { id: big('1234567890123456789') } },
      ],
    });
    const after1 = await api(server.url, org.token, 'GET', `/crm/v2/Leads/${lead1}`);
    assert.equal(after1.body.data[0].Company, 'Globex');
    assert.equal(after1.body.data[0].Lead_Status, 'Junk Lead');
    assert.equal((await api(server.url, org.token, 'GET', `/crm/v2/Leads/${lead2}`)).status, 204);
    assert.equal((await related(server.url, org.token, `Campaigns/${campaign2}/Contacts`)).get(contactB)?.Member_Status, 'Sent');
  });
});

describe('access token', () => {
  test('delinkRecords of two linked leads, both ids back as exact bigints', async () => {
    const t = org.token;
    const leads = [
      await createRecord(server.url, t, 'Leads', { Last_Name: 'Kitzman', Company: 'Benton' }),
      await createRecord(server.url, t, 'Leads', { Last_Name: 'Butt', Company: 'Chemel' }),
    ];
    await link(server.url, t, `Campaigns/${campaign}/Leads`, leads.map((id) => ({ id })));
    const token = await server.tokenFor(org.orgId, 'ZohoCRM.modules.campaigns.DELETE');
    const [s] = await runSdk({
      sdk: 'typescript', base: server.url, clientId: 'unused', clientSecret: 'unused', accessToken: token,
      steps: [{ op: 'delinkRecords', module: 'Campaigns', relatedList: 'Leads', recordId: campaign, ids: leads }],
    });
    assert.deepEqual(s, {
      statusCode: 200, class: 'ActionWrapper',
      data: leads.map((id) => ({ class: 'SuccessResponse', code: 'SUCCESS', status: 'success', message: 'relation removed', details: { id: big(id) } })),
    });
    assert.equal((await related(server.url, t, `Campaigns/${campaign}/Leads`)).size, 0);
  });

  test('a token without the needed scope surfaces OAUTH_SCOPE_MISMATCH and changes nothing', async () => {
    const contact = await createRecord(server.url, org.token, 'Contacts', { Last_Name: 'Foller' });
    await link(server.url, org.token, `Campaigns/${campaign}/Contacts`, [{ id: contact, Member_Status: 'Planned' }]);
    const token = await server.tokenFor(org.orgId, 'ZohoCRM.modules.campaigns.READ,ZohoCRM.settings.ALL');
    const steps = await runSdk({
      sdk: 'typescript', base: server.url, clientId: 'unused', clientSecret: 'unused', accessToken: token,
      steps: [
        { op: 'delinkRecords', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign, ids: [contact] },
        { op: 'delinkRecord', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign, relatedId: contact },
        { op: 'createRecords', module: 'Leads', records: [{ Last_Name: 'Nope' }] },
      ],
    });
    const mismatch = { statusCode: 401, class: 'APIException', code: 'OAUTH_SCOPE_MISMATCH', status: 'error', message: 'Unauthorized', details: {} };
    assert.deepEqual(steps, [mismatch, mismatch, mismatch]);
    assert.equal((await related(server.url, org.token, `Campaigns/${campaign}/Contacts`)).get(contact)?.Member_Status, 'Planned');
  });

  test('an unknown token surfaces INVALID_TOKEN', async () => {
    const [s] = await runSdk({
      sdk: 'typescript', base: server.url, clientId: 'unused', clientSecret: 'unused', accessToken: '1000.00000000000000000000000000000000.00000000000000000000000000000000',
      steps: [{ op: 'delinkRecord', module: 'Campaigns', relatedList: 'Contacts', recordId: campaign, relatedId: contactC }],
    });
    assert.deepEqual(s, { statusCode: 401, class: 'APIException', code: 'INVALID_TOKEN', status: 'error', message: 'invalid oauth token', details: {} });
  });
});

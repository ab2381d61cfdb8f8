/**
 * Link (SPEC §4.3) and list (SPEC §4.2) around delink: bulk and single link, relation data
 * (Member_Status, the mandatory list_price), paging, 204 when empty, and Zoho's schemas.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, badRelated, Crm, ok, useCrmServer } from '../helpers/crm.js';
import { assertMatchesOas, responseRef, type KnownDifference } from '../helpers/oas.js';

const t = useCrmServer();

const LINK = responseRef('related_records.json', '/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}', 'PUT');
const LINK_ONE = responseRef('related_records.json', '/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}/{related_record_id}', 'PUT');
const LIST = responseRef('related_records.json', '/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}', 'GET');
const LIST_ONE = responseRef('related_records.json', '/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}/{related_record_id}', 'GET');
/** v2 answers "relation updated" (ZOHO-FACTS §6.3, Zoho's v2-era JS SDK); v8's enum lists "relation added". */
const UPDATED: KnownDifference[] = [{ at: /^\/data\/\d+\/message$/, v2: 'relation updated', v8: 'relation added', why: 'v2 message; SPEC §4.3 wins' }];
const updated = (id: string) => ok(id, 'relation updated');
const mandatory = (apiName: string, index = 0) => ({
  code: 'MANDATORY_NOT_FOUND', details: { api_name: apiName, json_path: `$.data[${index}].${apiName}` }, message: 'required field not found', status: 'error',
});

async function rows(module: string, id: string, list: string, query = ''): Promise<Record<string, any>[]> {
  const res = await t.crm.call('GET', `/crm/v2/${module}/${id}/${list}${query}`);
  if (res.status === 204) return [];
  assert.equal(res.status, 200, res.text);
  return res.body.data;
}

describe('link', () => {
  test('bulk link with Member_Status: 200 "relation updated", the data shows on both sides', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [a, b] = await t.crm.insert('Leads', 2);
    const res = await t.crm.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads`, { data: [{ id: a, Member_Status: 'Invited' }, { id: b }] });
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [updated(a), updated(b)] } });
    assert.deepEqual(assertMatchesOas(res.body, LINK, UPDATED), UPDATED);
    const listed = await rows('Campaigns', campaign, 'Leads');
    assert.deepEqual(listed.map((r) => [r.id, r.Member_Status]).sort(), [[a, 'Invited'], [b, undefined]].sort());
    const fromLead = await rows('Leads', a, 'Campaigns');
    assert.deepEqual(fromLead.map((r) => [r.id, r.Member_Status]), [[campaign, 'Invited']]);
  });

  test('linking an existing pair updates its data and adds no second row', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [a] = await t.crm.insert('Contacts', 1);
    await t.crm.link('Campaigns', campaign, 'Contacts', [{ id: a, Member_Status: 'Sent' }]);
    const again = await t.crm.call('PUT', `/crm/v2/Contacts/${a}/Campaigns/${campaign}`, { data: [{ Member_Status: 'Responded' }] });
    assert.deepEqual({ status: again.status, body: again.body }, { status: 200, body: { data: [updated(campaign)] } });
    assertMatchesOas(again.body, LINK_ONE, UPDATED);
    const listed = await rows('Campaigns', campaign, 'Contacts');
    assert.deepEqual(listed.map((r) => [r.id, r.Member_Status]), [[a, 'Responded']]);
  });

  test('single link without a body when the relation carries no data', async () => {
    const product = await t.crm.one('Products');
    const [lead] = await t.crm.insert('Leads', 1);
    const res = await t.crm.call('PUT', `/crm/v2/Products/${product}/Leads/${lead}`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [updated(lead)] } });
    assert.deepEqual((await rows('Leads', lead, 'Products')).map((r) => r.id), [product]);
  });

  test('list_price is mandatory on Products ↔ Price_Books: MANDATORY_NOT_FOUND with api_name and json_path', async () => {
    const product = await t.crm.one('Products');
    const [pb1, pb2] = await t.crm.insert('Price_Books', 2);
    const none = await t.crm.call('PUT', `/crm/v2/Products/${product}/Price_Books`, { data: [{ id: pb1 }] });
    assert.deepEqual({ status: none.status, body: none.body }, { status: 400, body: { data: [mandatory('list_price')] } });
    const some = await t.crm.call('PUT', `/crm/v2/Products/${product}/Price_Books`, { data: [{ id: pb1, list_price: 15.25 }, { id: pb2, list_price: null }] });
    assert.deepEqual({ status: some.status, body: some.body }, { status: 207, body: { data: [updated(pb1), mandatory('list_price', 1)] } });
    const single = await t.crm.call('PUT', `/crm/v2/Price_Books/${pb2}/Products/${product}`);
    assert.deepEqual({ status: single.status, body: single.body }, { status: 400, body: { data: [mandatory('list_price')] } });
    const fromPb = await t.crm.call('PUT', `/crm/v2/Price_Books/${pb2}/Products/${product}`, { data: [{ list_price: 99 }] });
    assert.deepEqual({ status: fromPb.status, body: fromPb.body }, { status: 200, body: { data: [updated(product)] } });
    const listed = await rows('Products', product, 'Price_Books');
    assert.deepEqual(listed.map((r) => [r.id, r.list_price]).sort(), [[pb1, 15.25], [pb2, 99]].sort());
  });

  test('list_price must be a number', async () => {
    const product = await t.crm.one('Products');
    const pb = await t.crm.one('Price_Books');
    const res = await t.crm.call('PUT', `/crm/v2/Products/${product}/Price_Books`, { data: [{ id: pb, list_price: 'ten' }] });
    assert.deepEqual({ status: res.status, body: res.body }, {
      status: 400,
      body: { data: [{ code: 'INVALID_DATA', details: { api_name: 'list_price', json_path: '$.data[0].list_price', expected_data_type: 'double' }, message: 'invalid data', status: 'error' }] },
    });
  });

  test('per-item errors: missing id, an id of another module, a non-object item', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [lead] = await t.crm.insert('Leads', 1);
    const account = await t.crm.one('Accounts');
    const res = await t.crm.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads`, { data: [{ Member_Status: 'Sent' }, { id: account }, 'x', { id: lead }] });
    assert.deepEqual({ status: res.status, body: res.body }, {
      status: 207,
      body: {
        data: [
          mandatory('id'), badRelated(account),
          { code: 'INVALID_DATA', details: { expected_data_type: 'jsonobject', json_path: '$.data[2]' }, message: 'invalid data', status: 'error' },
          updated(lead),
        ],
      },
    });
  });

  test('at most 100 items: 101 → LIMIT_EXCEEDED', async () => {
    const campaign = await t.crm.one('Campaigns');
    const data = Array.from({ length: 101 }, (_, i) => ({ id: String(1000 + i) }));
    assertError(await t.crm.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads`, { data }), 400, 'LIMIT_EXCEEDED', 'Limit Exceeded, You cannot give more than 100 records', { limit: '100', api_name: 'data' });
    const hundred = await t.crm.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads`, { data: data.slice(0, 100) });
    assert.equal(hundred.status, 400);
    assert.equal(hundred.body.data.length, 100);
  });

  test('scopes for link: ALL, WRITE or UPDATE on the parent module; DELETE or READ are not enough', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [lead] = await t.crm.insert('Leads', 1);
    for (const scope of ['ZohoCRM.modules.campaigns.ALL', 'ZohoCRM.modules.campaigns.WRITE', 'ZohoCRM.modules.campaigns.UPDATE']) {
      const res = await new Crm(t.server, await t.server.tokenFor(t.crm.orgId, scope)).call('PUT', `/crm/v2/Campaigns/${campaign}/Leads/${lead}`);
      assert.equal(res.status, 200, scope);
    }
    for (const scope of ['ZohoCRM.modules.campaigns.DELETE', 'ZohoCRM.modules.campaigns.READ', 'ZohoCRM.modules.campaigns.CREATE', 'ZohoCRM.modules.leads.ALL']) {
      const res = await new Crm(t.server, await t.server.tokenFor(t.crm.orgId, scope)).call('PUT', `/crm/v2/Campaigns/${campaign}/Leads/${lead}`);
      assertError(res, 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
    }
  });

  test('NO_PERMISSION and AUTHORIZATION_FAILED name the update', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [lead] = await t.crm.insert('Leads', 1);
    const full = { view: true, create: true, edit: true, delete: true };
    await t.server.admin('POST', `/_zcrm/orgs/${t.crm.orgId}/profiles`, { name: 'LinkNoEdit', permissions: { modules: { Campaigns: { ...full, edit: false }, Leads: full } } });
    const u = await t.server.admin('POST', `/_zcrm/orgs/${t.crm.orgId}/users`, { email: 'link-no-edit@example.com', profile: 'LinkNoEdit' });
    const noEdit = new Crm(t.server, await t.server.tokenFor(t.crm.orgId, 'ZohoCRM.modules.ALL', u.user_id));
    assertError(await noEdit.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads/${lead}`), 403, 'NO_PERMISSION', 'Permission denied to update records', { permissions: ['Crm_Implied_Edit_Campaigns'] });

    const s = await t.server.admin('POST', `/_zcrm/orgs/${t.crm.orgId}/users`, { email: 'link-standard@example.com', profile: 'Standard' });
    const standard = new Crm(t.server, await t.server.tokenFor(t.crm.orgId, 'ZohoCRM.modules.ALL', s.user_id));
    await t.server.admin('PUT', `/_zcrm/orgs/${t.crm.orgId}/settings`, { private_modules: ['Campaigns'] });
    try {
      assertError(await standard.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads/${lead}`), 400, 'AUTHORIZATION_FAILED', 'User does not have sufficient privilege to update related records data');
    } finally {
      await t.server.admin('PUT', `/_zcrm/orgs/${t.crm.orgId}/settings`, { private_modules: [] });
    }
  });

  test('a parent that does not exist: INVALID_DATA resource_path_index 1', async () => {
    const [lead] = await t.crm.insert('Leads', 1);
    assertError(await t.crm.call('PUT', `/crm/v2/Campaigns/1234567890123456789/Leads`, { data: [{ id: lead }] }), 400, 'INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 1 });
  });
});

describe('list', () => {
  test('paging: page, per_page, more_records; 204 past the end', async () => {
    const campaign = await t.crm.one('Campaigns');
    const leads = await t.crm.insert('Leads', 5);
    await t.crm.link('Campaigns', campaign, 'Leads', leads.map((id, i) => ({ id, Member_Status: i % 2 ? 'Sent' : 'Planned' })));
    const seen: string[] = [];
    for (const [page, count, more] of [[1, 2, true], [2, 2, true], [3, 1, false]] as [number, number, boolean][]) {
      const res = await t.crm.call('GET', `/crm/v2/Campaigns/${campaign}/Leads?page=${page}&per_page=2`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.info, { per_page: 2, count, page, more_records: more });
      assert.equal(res.body.data.length, count);
      assertMatchesOas(res.body, LIST);
      seen.push(...res.body.data.map((r: { id: string }) => r.id));
    }
    assert.deepEqual([...seen].sort(), [...leads].sort(), 'every related record once');
    const past = await t.crm.call('GET', `/crm/v2/Campaigns/${campaign}/Leads?page=4&per_page=2`);
    assert.deepEqual({ status: past.status, text: past.text }, { status: 204, text: '' });
  });

  test('defaults: page 1, per_page 200; per_page above 200 is capped', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [a] = await t.crm.insert('Leads', 1);
    await t.crm.link('Campaigns', campaign, 'Leads', [{ id: a }]);
    assert.deepEqual((await t.crm.call('GET', `/crm/v2/Campaigns/${campaign}/Leads`)).body.info, { per_page: 200, count: 1, page: 1, more_records: false });
    assert.deepEqual((await t.crm.call('GET', `/crm/v2/Campaigns/${campaign}/Leads?per_page=500`)).body.info, { per_page: 200, count: 1, page: 1, more_records: false });
  });

  test('rows are the related records with the relation\'s data, Zoho-shaped', async () => {
    const campaign = await t.crm.one('Campaigns');
    const contact = await t.crm.one('Contacts', { First_Name: 'Ada', Email: 'ada@example.com' });
    await t.crm.link('Campaigns', campaign, 'Contacts', [{ id: contact, Member_Status: 'Opened' }]);
    const [row] = await rows('Campaigns', campaign, 'Contacts');
    assert.equal(row.id, contact);
    assert.equal(row.Member_Status, 'Opened');
    assert.equal(row.First_Name, 'Ada');
    assert.equal(row.Full_Name, 'Ada Rec 0');
    assert.equal(row.Email, 'ada@example.com');
    assert.deepEqual(Object.keys(row.Owner).sort(), ['email', 'id', 'name']);
    assert.equal(row.Owner.id, t.crm.userId);
    assert.match(row.Created_Time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });

  test('one related record: GET …/{related_id} → {"data":[row]}; 204 when not linked', async () => {
    const product = await t.crm.one('Products');
    const [pb, other] = await t.crm.insert('Price_Books', 2);
    await t.crm.link('Products', product, 'Price_Books', [{ id: pb, list_price: 7 }]);
    const one = await t.crm.call('GET', `/crm/v2/Products/${product}/Price_Books/${pb}`);
    assert.equal(one.status, 200);
    assert.deepEqual(Object.keys(one.body), ['data']);
    assert.deepEqual(one.body.data.map((r: { id: string; list_price: number }) => [r.id, r.list_price]), [[pb, 7]]);
    assertMatchesOas(one.body, LIST_ONE);
    const none = await t.crm.call('GET', `/crm/v2/Products/${product}/Price_Books/${other}`);
    assert.deepEqual({ status: none.status, text: none.text }, { status: 204, text: '' });
  });

  test('fields keeps the named fields and the id', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [a] = await t.crm.insert('Leads', 1, { Company: 'Zylker' });
    await t.crm.link('Campaigns', campaign, 'Leads', [{ id: a, Member_Status: 'Sent' }]);
    assert.deepEqual(await rows('Campaigns', campaign, 'Leads', '?fields=Company,Member_Status'), [{ Company: 'Zylker', Member_Status: 'Sent', id: a }]);
  });

  test('Notes and lookup lists can be listed', async () => {
    const account = await t.crm.one('Accounts');
    const contacts = [await t.crm.one('Contacts', { Account_Name: { id: account } }), await t.crm.one('Contacts', { Account_Name: account })];
    await t.crm.one('Contacts');
    assert.deepEqual((await rows('Accounts', account, 'Contacts')).map((r) => r.id).sort(), [...contacts].sort());
    const deal = await t.crm.one('Deals', { Account_Name: { id: account }, Contact_Name: { id: contacts[0] } });
    assert.deepEqual((await rows('Accounts', account, 'Deals')).map((r) => r.id), [deal]);
    assert.deepEqual((await rows('Contacts', contacts[0], 'Deals')).map((r) => r.id), [deal]);
    const note = await t.crm.note('Accounts', account, 'hello');
    const notes = await rows('Accounts', account, 'notes');
    assert.deepEqual(notes.map((r) => [r.id, r.Note_Content, r.$se_module, r.Parent_Id?.id]), [[note, 'hello', 'Accounts', account]]);
  });

  test('an empty list answers 204 with no body', async () => {
    const campaign = await t.crm.one('Campaigns');
    for (const list of ['Leads', 'Contacts', 'Notes']) {
      const res = await t.crm.call('GET', `/crm/v2/Campaigns/${campaign}/${list}`);
      assert.deepEqual({ status: res.status, text: res.text }, { status: 204, text: '' }, list);
    }
  });

  test('read needs ALL or READ on the parent module', async () => {
    const campaign = await t.crm.one('Campaigns');
    const reader = new Crm(t.server, await t.server.tokenFor(t.crm.orgId, 'ZohoCRM.modules.campaigns.READ'));
    assert.equal((await reader.call('GET', `/crm/v2/Campaigns/${campaign}/Leads`)).status, 204);
    for (const scope of ['ZohoCRM.modules.campaigns.WRITE', 'ZohoCRM.modules.leads.READ']) {
      const other = new Crm(t.server, await t.server.tokenFor(t.crm.orgId, scope));
      assertError(await other.call('GET', `/crm/v2/Campaigns/${campaign}/Leads`), 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
    }
  });
});

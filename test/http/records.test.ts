/**
 * The Records API around the relations (SPEC §5): insert 201/207/400 with details and mandatory
 * fields, get, list (paging, sort, fields, ids), update, and delete that takes relations and notes
 * with it. Success bodies are checked against Zoho's record.json.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, Crm, newCrm, useCrmServer } from '../helpers/crm.js';
import { startTestServer } from '../helpers/server.js';
import { assertMatchesOas, responseRef } from '../helpers/oas.js';

const t = useCrmServer();

const RECORDS = '/crm/v8/{module_api_name}';
const RECORD = '/crm/v8/{module_api_name}/{id}';
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const mandatory = (apiName: string, index = 0) => ({
  code: 'MANDATORY_NOT_FOUND', details: { api_name: apiName, json_path: `$.data[${index}].${apiName}` }, message: 'required field not found', status: 'error',
});

describe('insert', () => {
  test('all inserted → 201, "record added" with id, times and users', async () => {
    const res = await t.crm.call('POST', '/crm/v2/Leads', { data: [{ Last_Name: 'One', Company: 'Zylker' }, { Last_Name: 'Two' }] });
    assert.equal(res.status, 201);
    assertMatchesOas(res.body, responseRef('record.json', RECORDS, 'POST'));
    for (const item of res.body.data) {
      assert.deepEqual(Object.keys(item).sort(), ['code', 'details', 'message', 'status']);
      assert.equal(item.code, 'SUCCESS');
      assert.equal(item.message, 'record added');
      assert.deepEqual(Object.keys(item.details).sort(), ['Created_By', 'Created_Time', 'Modified_By', 'Modified_Time', 'id']);
      assert.match(item.details.id, /^\d{19}$/);
      assert.ok(item.details.id.startsWith(t.crm.orgId), 'Zoho-style: org prefix, then a sequence');
      assert.match(item.details.Created_Time, TIME);
      assert.deepEqual(item.details.Created_By, { name: 'Patricia Boyle', id: t.crm.userId });
      assert.deepEqual(item.details.Modified_By, { name: 'Patricia Boyle', id: t.crm.userId });
    }
    assert.notEqual(res.body.data[0].details.id, res.body.data[1].details.id);
  });

  test('some inserted → 207; none → 400; failures name the field', async () => {
    const some = await t.crm.call('POST', '/crm/v2/Leads', { data: [{ Last_Name: 'ok' }, { First_Name: 'no last name' }] });
    assert.equal(some.status, 207);
    assert.equal(some.body.data[0].message, 'record added');
    assert.deepEqual(some.body.data[1], mandatory('Last_Name', 1));
    const none = await t.crm.call('POST', '/crm/v2/Leads', { data: [{ Last_Name: '' }, { Last_Name: null }] });
    assert.deepEqual({ status: none.status, body: none.body }, { status: 400, body: { data: [mandatory('Last_Name', 0), mandatory('Last_Name', 1)] } });
  });

  test('mandatory fields per SPEC §5', async () => {
    const lead = await t.crm.one('Leads');
    const cases: [string, Record<string, unknown>, string][] = [
      ['Leads', { Company: 'x' }, 'Last_Name'],
      ['Contacts', { First_Name: 'x' }, 'Last_Name'],
      ['Accounts', { Website: 'https://x' }, 'Account_Name'],
      ['Deals', { Stage: 'Qualification' }, 'Deal_Name'],
      ['Deals', { Deal_Name: 'x' }, 'Stage'],
      ['Campaigns', { Type: 'Email' }, 'Campaign_Name'],
      ['Products', { Product_Code: 'x' }, 'Product_Name'],
      ['Price_Books', { Active: true }, 'Price_Book_Name'],
      ['Notes', { Parent_Id: lead, se_module: 'Leads' }, 'Note_Content'],
      ['Notes', { Note_Content: 'x', se_module: 'Leads' }, 'Parent_Id'],
      ['Notes', { Note_Content: 'x', Parent_Id: lead }, 'se_module'],
    ];
    for (const [module, record, missing] of cases) {
      const res = await t.crm.call('POST', `/crm/v2/${module}`, { data: [record] });
      assert.deepEqual({ status: res.status, body: res.body }, { status: 400, body: { data: [mandatory(missing)] } }, `${module} without ${missing}`);
    }
  });

  test('field values are checked: wrong types, too long, bad lookups', async () => {
    const res = await t.crm.call('POST', '/crm/v2/Contacts', {
      data: [{ Last_Name: 5 }, { Last_Name: 'x'.repeat(81) }, { Last_Name: 'x', Account_Name: { id: '1234567890123456789' } }, { Last_Name: 'x', Email: 'nope' }],
    });
    assert.deepEqual({ status: res.status, body: res.body }, {
      status: 400,
      body: {
        data: [
          { code: 'INVALID_DATA', details: { api_name: 'Last_Name', json_path: '$.data[0].Last_Name', expected_data_type: 'string' }, message: 'invalid data', status: 'error' },
          { code: 'INVALID_DATA', details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name', maximum_length: 80 }, message: 'invalid data', status: 'error' },
          { code: 'INVALID_DATA', details: { api_name: 'Account_Name', json_path: '$.data[2].Account_Name', id: '1234567890123456789' }, message: 'invalid data', status: 'error' },
          { code: 'INVALID_DATA', details: { api_name: 'Email', json_path: '$.data[3].Email' }, message: 'invalid data', status: 'error' },
        ],
      },
    });
  });

  test('at most 100 records, and a body is required', async () => {
    const data = Array.from({ length: 101 }, () => ({ Last_Name: 'x' }));
    assertError(await t.crm.call('POST', '/crm/v2/Leads', { data }), 400, 'LIMIT_EXCEEDED', 'Limit Exceeded, You cannot give more than 100 records', { limit: '100', api_name: 'data' });
    assertError(await t.crm.call('POST', '/crm/v2/Leads'), 400, 'MANDATORY_NOT_FOUND', 'One of the expected parameter is missing', { param_name: 'data' });
    assert.equal((await t.crm.call('POST', '/crm/v2/Leads', { data: data.slice(0, 100) })).status, 201);
  });

  test('insert needs ALL, WRITE or CREATE', async () => {
    for (const [scope, status] of [['ZohoCRM.modules.leads.CREATE', 201], ['ZohoCRM.modules.leads.WRITE', 201], ['ZohoCRM.modules.leads.READ', 401], ['ZohoCRM.modules.leads.UPDATE', 401]] as [string, number][]) {
      const token = await t.server.tokenFor(t.crm.orgId, scope);
      const res = await new Crm(t.server, token).call('POST', '/crm/v2/Leads', { data: [{ Last_Name: 'x' }] });
      assert.equal(res.status, status, scope);
    }
  });
});

describe('get and list', () => {
  test('get one → {"data":[record]}, Zoho-shaped; an unknown id → 204', async () => {
    const account = await t.crm.one('Accounts', { Account_Name: 'Zylker Inc' });
    const id = await t.crm.one('Contacts', { First_Name: 'Ada', Account_Name: { id: account }, Email: 'ada@example.com' });
    const res = await t.crm.call('GET', `/crm/v2/Contacts/${id}`);
    assert.equal(res.status, 200);
    assertMatchesOas(res.body, responseRef('record.json', RECORD, 'GET'));
    const [rec] = res.body.data;
    assert.equal(rec.id, id);
    assert.equal(rec.First_Name, 'Ada');
    assert.equal(rec.Full_Name, 'Ada Rec 0');
    assert.deepEqual(rec.Account_Name, { name: 'Zylker Inc', id: account });
    assert.deepEqual(rec.Owner, { name: 'Patricia Boyle', id: t.crm.userId, email: `admin@org${t.crm.orgId}.zcrm.local` });
    assert.match(rec.Created_Time, TIME);
    const unknown = await t.crm.call('GET', '/crm/v2/Contacts/1234567890123456789');
    assert.deepEqual({ status: unknown.status, text: unknown.text }, { status: 204, text: '' });
    const otherModule = await t.crm.call('GET', `/crm/v2/Leads/${id}`);
    assert.equal(otherModule.status, 204, 'a Contact is no Lead');
  });

  test('list: paging with more_records, sort by id both ways, fields, ids; 204 when empty', async () => {
    const own = await newCrm(t.server);
    assert.deepEqual(await own.call('GET', '/crm/v2/Products').then((r) => [r.status, r.text]), [204, '']);
    const ids = await own.insert('Products', 5);
    const asc = [...ids].sort();
    const page1 = await own.call('GET', '/crm/v2/Products?per_page=2&sort_by=id&sort_order=asc');
    assert.equal(page1.status, 200);
    assertMatchesOas(page1.body, responseRef('record.json', RECORDS, 'GET'));
    assert.deepEqual(page1.body.data.map((r: { id: string }) => r.id), asc.slice(0, 2));
    assert.deepEqual(page1.body.info, { per_page: 2, count: 2, page: 1, more_records: true });
    const page3 = await own.call('GET', '/crm/v2/Products?per_page=2&page=3&sort_by=id&sort_order=asc');
    assert.deepEqual(page3.body.info, { per_page: 2, count: 1, page: 3, more_records: false });
    assert.equal((await own.call('GET', '/crm/v2/Products?per_page=2&page=4')).status, 204);
    const desc = await own.call('GET', '/crm/v2/Products?sort_by=id&sort_order=desc');
    assert.deepEqual(desc.body.data.map((r: { id: string }) => r.id), [...asc].reverse());
    const picked = await own.call('GET', `/crm/v2/Products?ids=${ids[3]},${ids[1]}&fields=Product_Name`);
    assert.deepEqual(picked.body.data, [{ Product_Name: 'Product', id: ids[3] }, { Product_Name: 'Product', id: ids[1] }]);
    assertError(await own.call('GET', '/crm/v2/Products?sort_order=up'), 400, 'INVALID_DATA', 'the given parameter is invalid', { param_name: 'sort_order' });
  });
});

describe('update', () => {
  test('PUT /{module}/{id} and bulk PUT /{module}: "record updated", Modified_Time moves with the clock', async () => {
    const own = await startTestServer();
    try {
      const local = await newCrm(own);
      const [a, b] = await local.insert('Leads', 2);
      const before = (await local.call('GET', `/crm/v2/Leads/${a}`)).body.data[0];
      await own.admin('POST', '/_zcrm/clock/advance', { seconds: 60 });
      const one = await local.call('PUT', `/crm/v2/Leads/${a}`, { data: [{ Company: 'Zylker' }] });
      assert.equal(one.status, 200);
      assertMatchesOas(one.body, responseRef('record.json', RECORD, 'PUT'));
      assert.equal(one.body.data[0].message, 'record updated');
      assert.equal(one.body.data[0].details.id, a);
      assert.equal(one.body.data[0].details.Created_Time, before.Created_Time);
      assert.notEqual(one.body.data[0].details.Modified_Time, before.Modified_Time);
      const after = (await local.call('GET', `/crm/v2/Leads/${a}`)).body.data[0];
      assert.equal(after.Company, 'Zylker');
      assert.equal(after.Last_Name, before.Last_Name, 'fields not sent are kept');
      assert.equal(after.Modified_Time, one.body.data[0].details.Modified_Time);

      const bulk = await local.call('PUT', '/crm/v2/Leads', { data: [{ id: b, Last_Name: 'Renamed' }, { id: '1234567890123456789', Last_Name: 'x' }] });
      assert.equal(bulk.status, 207);
      assert.equal(bulk.body.data[0].message, 'record updated');
      assert.deepEqual(bulk.body.data[1], { code: 'INVALID_DATA', details: { id: '1234567890123456789' }, message: 'the id given seems to be invalid', status: 'error' });
      assert.equal((await local.call('GET', `/crm/v2/Leads/${b}`)).body.data[0].Full_Name, 'Renamed');
      const cleared = await local.call('PUT', `/crm/v2/Leads/${b}`, { data: [{ Last_Name: null }] });
      assert.deepEqual({ status: cleared.status, body: cleared.body }, { status: 400, body: { data: [mandatory('Last_Name')] } });
    } finally {
      await own.close();
    }
  });
});

describe('delete', () => {
  test('DELETE /{module}/{id} and ?ids=: "record deleted"; its relations and notes go with it', async () => {
    const campaign = await t.crm.one('Campaigns');
    const product = await t.crm.one('Products');
    const [a, b] = await t.crm.insert('Leads', 2);
    await t.crm.link('Campaigns', campaign, 'Leads', [{ id: a }, { id: b }]);
    await t.crm.link('Products', product, 'Leads', [{ id: a }]);
    const note = await t.crm.note('Leads', a);

    const res = await t.crm.call('DELETE', `/crm/v2/Leads/${a}`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [{ code: 'SUCCESS', details: { id: a }, message: 'record deleted', status: 'success' }] } });
    assertMatchesOas(res.body, responseRef('record.json', RECORD, 'DELETE'));
    assert.deepEqual(await t.crm.related('Campaigns', campaign, 'Leads'), [b]);
    assert.deepEqual(await t.crm.related('Products', product, 'Leads'), []);
    assert.equal((await t.crm.call('GET', `/crm/v2/Notes/${note}`)).status, 204, 'the note went with its parent');
    assert.equal((await t.crm.call('GET', `/crm/v2/Leads/${a}`)).status, 204);

    const bulk = await t.crm.call('DELETE', `/crm/v2/Leads?ids=${b},${a}`);
    assert.deepEqual({ status: bulk.status, body: bulk.body }, {
      status: 207,
      body: { data: [
        { code: 'SUCCESS', details: { id: b }, message: 'record deleted', status: 'success' },
        { code: 'INVALID_DATA', details: { id: a }, message: 'the id given seems to be invalid', status: 'error' },
      ] },
    });
    assert.deepEqual(await t.crm.related('Campaigns', campaign, 'Leads'), []);
    // Deleting the parent side takes the relation from the other side's list too.
    const [c] = await t.crm.insert('Leads', 1);
    await t.crm.link('Campaigns', campaign, 'Leads', [{ id: c }]);
    assert.equal((await t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}`)).status, 200);
    assert.deepEqual(await t.crm.related('Leads', c, 'Campaigns'), []);
  });

  test('no ids → REQUIRED_PARAM_MISSING naming ids, as the Records API answers', async () => {
    for (const path of ['/crm/v2/Leads', '/crm/v2/Leads?ids=', '/crm/v2/Leads?ids=,']) {
      assertError(await t.crm.call('DELETE', path), 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'ids' });
    }
  });

  test('at most 100 ids; a repeated id is deleted once', async () => {
    const [a] = await t.crm.insert('Leads', 1);
    const many = Array.from({ length: 101 }, (_, i) => String(i + 1)).join(',');
    assertError(await t.crm.call('DELETE', `/crm/v2/Leads?ids=${many}`), 400, 'LIMIT_EXCEEDED', 'Limit Exceeded, You cannot give more than 100 record ids', { limit: '100', param_name: 'ids' });
    const twice = await t.crm.call('DELETE', `/crm/v2/Leads?ids=${a},${a}`);
    assert.equal(twice.status, 207);
    assert.deepEqual(twice.body.data.map((d: { status: string }) => d.status), ['success', 'error']);
  });
});

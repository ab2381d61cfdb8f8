/**
 * Ids are exact 19-digit strings end to end (SPEC §5): in paths, in `ids`, and in JSON bodies
 * whether sent as strings or as long numbers. Values above 2^63-1 are client mistakes, never 500s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertError, ok, useCrmServer } from '../helpers/crm.js';

const t = useCrmServer();

const INT64_MAX = '9223372036854775807';
const ABOVE = '9223372036854775808';

test('ids near 2^63-1 round-trip exactly as strings, in paths and in per-id results', async () => {
  const campaign = await t.crm.one('Campaigns');
  for (const id of [INT64_MAX, '9223372036854775806', '9007199254740993' /* 2^53+1 */]) {
    const res = await t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}/Leads?ids=${id}`);
    assert.equal(res.status, 400);
    // Exact text, so no JSON number rounding can hide.
    assert.equal(res.text, `{"data":[{"code":"INVALID_DATA","details":{"id":"${id}"},"message":"the related id given seems to be invalid","status":"error"}]}`);
    assert.equal((await t.crm.call('GET', `/crm/v2/Leads/${id}`)).status, 204);
  }
});

test('ids sent as long JSON numbers in a link body are read exactly', async () => {
  const campaign = await t.crm.one('Campaigns');
  const [a, b] = await t.crm.insert('Leads', 2);
  const res = await t.crm.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads`, `{"data":[{"id":${a}},{"id":"${b}"}]}`);
  assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [ok(a, 'relation updated'), ok(b, 'relation updated')] } });
  assert.deepEqual(await t.crm.related('Campaigns', campaign, 'Leads'), [a, b].sort());
});

test('an id above 2^63-1 in a link body is an item error, not a 500', async () => {
  const campaign = await t.crm.one('Campaigns');
  const [a] = await t.crm.insert('Leads', 1);
  for (const raw of [ABOVE, `"${ABOVE}"`, '3652397000000925128365239', '"99999999999999999999"']) {
    const res = await t.crm.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads`, `{"data":[{"id":${raw}},{"id":"${a}"}]}`);
    assert.equal(res.status, 207, res.text);
    assert.deepEqual(res.body.data[0], {
      code: 'INVALID_DATA', details: { api_name: 'id', json_path: '$.data[0].id', expected_data_type: 'bigint' }, message: 'invalid data', status: 'error',
    });
    assert.deepEqual(res.body.data[1], ok(a, 'relation updated'));
  }
});

test('an id above 2^63-1 in an update body is an item error, not a 500', async () => {
  const [lead] = await t.crm.insert('Leads', 1);
  const res = await t.crm.call('PUT', '/crm/v2/Leads', { data: [{ id: ABOVE, Last_Name: 'x' }, { id: lead, Last_Name: 'y' }] });
  assert.equal(res.status, 207, res.text);
  assert.deepEqual(res.body.data[0], {
    code: 'INVALID_DATA', details: { api_name: 'id', json_path: '$.data[0].id', expected_data_type: 'bigint' }, message: 'invalid data', status: 'error',
  });
  assert.equal(res.body.data[1].message, 'record updated');
  const missing = await t.crm.call('PUT', '/crm/v2/Leads', { data: [{ Last_Name: 'x' }] });
  assert.deepEqual({ status: missing.status, body: missing.body }, {
    status: 400,
    body: { data: [{ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'id', json_path: '$.data[0].id' }, message: 'required field not found', status: 'error' }] },
  });
});

test('a lookup to an id above 2^63-1 is invalid data, not a 500', async () => {
  const contact = await t.crm.call('POST', '/crm/v2/Contacts', { data: [{ Last_Name: 'x', Account_Name: { id: ABOVE } }] });
  assert.deepEqual({ status: contact.status, body: contact.body }, {
    status: 400,
    body: { data: [{ code: 'INVALID_DATA', details: { api_name: 'Account_Name', json_path: '$.data[0].Account_Name', id: null }, message: 'invalid data', status: 'error' }] },
  });
  const note = await t.crm.call('POST', '/crm/v2/Notes', { data: [{ Note_Content: 'x', Parent_Id: ABOVE, se_module: 'Leads' }] });
  assert.equal(note.status, 400, note.text);
  assert.deepEqual(note.body.data[0].details, { api_name: 'Parent_Id', json_path: '$.data[0].Parent_Id', id: null });
});

test('an id above 2^63-1 in a path or in ids is UNABLE_TO_PARSE_DATA_TYPE', async () => {
  for (const [method, path] of [
    ['GET', `/crm/v2/Leads/${ABOVE}`], ['DELETE', `/crm/v2/Leads/${ABOVE}`], ['DELETE', `/crm/v2/Leads?ids=${ABOVE}`],
    ['GET', `/crm/v2/Leads?ids=1,${ABOVE}`], ['GET', `/crm/v2/Campaigns/${ABOVE}/Leads`], ['DELETE', `/crm/v2/Campaigns/1/Leads/${ABOVE}`],
  ]) {
    assertError(await t.crm.call(method, path), 400, 'UNABLE_TO_PARSE_DATA_TYPE', 'either the request body or parameters is in wrong format');
  }
});

/**
 * Delink (SPEC §4.1) for every relation of the seed's table, from both sides, with per-id results
 * in input order, the 200/207/400 rule, and success bodies checked against Zoho's own schema.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertError, badRelated, notFound, ok, useCrmServer } from '../helpers/crm.js';
import { assertMatchesOas, responseRef, type KnownDifference } from '../helpers/oas.js';

const t = useCrmServer();

const BULK = responseRef('related_records.json', '/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}', 'DELETE');
const SINGLE = responseRef('related_records.json', '/crm/v8/{module_api_name}/{record_id}/{related_list_api_name}/{related_record_id}', 'DELETE');
/** v8's API_Exception lists neither of these messages, though Zoho's own v8 examples answer them (ZOHO-FACTS §6.4). */
const V8_MESSAGES: KnownDifference[] = [
  { at: /^\/data\/\d+\/message$/, v2: 'relation not found', v8: 'invalid data', why: 'not in v8 API_Exception enum; seed/SPEC §4.1 wins' },
];

/** [parent module as written in the URL, related list as written, parent's module, related module, data to link with] */
const RELATIONS: [string, string, string, string, Record<string, unknown>][] = [
  ['Campaigns', 'Leads', 'Campaigns', 'Leads', { Member_Status: 'Invited' }],
  ['Campaigns', 'Contacts', 'Campaigns', 'Contacts', { Member_Status: 'Sent' }],
  ['Products', 'Leads', 'Products', 'Leads', {}],
  ['Products', 'Accounts', 'Products', 'Accounts', {}],
  ['Products', 'Contacts', 'Products', 'Contacts', {}],
  ['Products', 'Deals', 'Products', 'Deals', {}],
  ['Products', 'Potentials', 'Products', 'Deals', {}],
  ['Products', 'Price_Books', 'Products', 'Price_Books', { list_price: 10.5 }],
  ['Products', 'PriceBooks', 'Products', 'Price_Books', { list_price: 12 }],
  ['Leads', 'Campaigns', 'Leads', 'Campaigns', {}],
  ['Contacts', 'Campaigns', 'Contacts', 'Campaigns', {}],
  ['Leads', 'Products', 'Leads', 'Products', {}],
  ['Accounts', 'Products', 'Accounts', 'Products', {}],
  ['Contacts', 'Products', 'Contacts', 'Products', {}],
  ['Deals', 'Products', 'Deals', 'Products', {}],
  ['Potentials', 'Products', 'Deals', 'Products', {}],
  ['Price_Books', 'Products', 'Price_Books', 'Products', { list_price: 3 }],
  ['PriceBooks', 'Products', 'Price_Books', 'Products', { list_price: 4 }],
];

/** The related list that shows the same relation from the other side. */
const reverseList = (parentModule: string) => parentModule;

describe('every relation of the seed\'s table, from both sides', () => {
  for (const [urlModule, urlList, parentModule, relatedModule, data] of RELATIONS) {
    test(`DELETE /${urlModule}/{id}/${urlList}`, async () => {
      const parent = await t.crm.one(parentModule);
      const [r1, r2, r3] = await t.crm.insert(relatedModule, 3);
      const stranger = await t.crm.one(relatedModule === 'Leads' ? 'Accounts' : 'Leads');
      await t.crm.link(urlModule, parent, urlList, [{ id: r1, ...data }, { id: r2, ...data }]);

      // The same fact seen from the other side.
      assert.deepEqual(await t.crm.related(relatedModule, r1, reverseList(parentModule)), [parent]);

      const bulk = await t.crm.call('DELETE', `/crm/v2/${urlModule}/${parent}/${urlList}?ids=${r1},${r3},${stranger},${r1}`);
      assert.equal(bulk.status, 207, bulk.text);
      assert.deepEqual(bulk.body, { data: [ok(r1), notFound(r3), badRelated(stranger), notFound(r1)] });
      assert.deepEqual(assertMatchesOas(bulk.body, BULK, V8_MESSAGES).map((d) => d.v2), ['relation not found']);
      assert.deepEqual(await t.crm.related(relatedModule, r1, reverseList(parentModule)), []);

      const single = await t.crm.call('DELETE', `/crm/v2/${urlModule}/${parent}/${urlList}/${r2}`);
      assert.deepEqual({ status: single.status, body: single.body }, { status: 200, body: { data: [ok(r2)] } });
      assertMatchesOas(single.body, SINGLE);

      const again = await t.crm.call('DELETE', `/crm/v2/${urlModule}/${parent}/${urlList}/${r2}`);
      assert.deepEqual({ status: again.status, body: again.body }, { status: 400, body: { data: [notFound(r2)] } });
      assertMatchesOas(again.body, SINGLE, V8_MESSAGES);

      const list = await t.crm.call('GET', `/crm/v2/${urlModule}/${parent}/${urlList}`);
      assert.equal(list.status, 204);
      assert.equal(list.text, '');
    });
  }
});

describe('per-id results', () => {
  test('all delinked → 200, in input order, both sides agree', async () => {
    const campaign = await t.crm.one('Campaigns');
    const leads = await t.crm.insert('Leads', 4);
    await t.crm.link('Campaigns', campaign, 'Leads', leads.map((id) => ({ id })));
    const order = [leads[2], leads[0], leads[3]];
    const res = await t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}/Leads?ids=${order.join(',')}`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: order.map((id) => ok(id)) } });
    assertMatchesOas(res.body, BULK);
    assert.deepEqual(await t.crm.related('Campaigns', campaign, 'Leads'), [leads[1]]);
    assert.deepEqual(await t.crm.related('Leads', leads[1], 'Campaigns'), [campaign]);
    assert.deepEqual(await t.crm.related('Leads', leads[0], 'Campaigns'), []);
  });

  test('none delinked → 400 with the data array', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [lead] = await t.crm.insert('Leads', 1);
    const res = await t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}/Leads?ids=${lead},${campaign}`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 400, body: { data: [notFound(lead), badRelated(campaign)] } });
  });

  test('a repeated id is answered once per occurrence: the second finds the relation gone', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [a, b] = await t.crm.insert('Contacts', 2);
    await t.crm.link('Campaigns', campaign, 'Contacts', [{ id: a }, { id: b }]);
    const res = await t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${a},${a},${b},${a}`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 207, body: { data: [ok(a), notFound(a), ok(b), notFound(a)] } });
  });

  test('ids given with leading zeros are answered in Zoho\'s canonical form', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [a] = await t.crm.insert('Contacts', 1);
    await t.crm.link('Campaigns', campaign, 'Contacts', [{ id: a }]);
    // Our ids have 19 digits; a shorter id padded with zeros stands for the same number.
    const res = await t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=0000012`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 400, body: { data: [badRelated('12')] } });
  });
});

describe('names and lists', () => {
  test('module and related-list names match case-insensitively', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [a, b] = await t.crm.insert('Contacts', 2);
    await t.crm.link('campaigns', campaign, 'CONTACTS', [{ id: a }, { id: b }]);
    const res = await t.crm.call('DELETE', `/crm/v2/CAMPAIGNS/${campaign}/contacts?ids=${a}`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [ok(a)] } });
    const single = await t.crm.call('DELETE', `/crm/v2/contacts/${b}/campaigns/${campaign}`);
    assert.deepEqual({ status: single.status, body: single.body }, { status: 200, body: { data: [ok(campaign)] } });
  });

  test('Notes under a parent are deleted through the related path (/Leads/{id}/notes): "record deleted"', async () => {
    const lead = await t.crm.one('Leads');
    const other = await t.crm.one('Leads');
    const [n1, n2, n3] = [await t.crm.note('Leads', lead), await t.crm.note('Leads', lead), await t.crm.note('Leads', other)];
    const single = await t.crm.call('DELETE', `/crm/v2/Leads/${lead}/notes/${n1}`);
    assert.deepEqual({ status: single.status, body: single.body }, { status: 200, body: { data: [ok(n1, 'record deleted')] } });
    // v8 lists "record deleted" for delink too (its schema's enum has "relation added", "relation removed").
    assertMatchesOas(single.body, SINGLE, [{ at: /^\/data\/\d+\/message$/, v2: 'record deleted', v8: 'relation removed', why: 'Notes API message; not in related_records enum' }]);
    const bulk = await t.crm.call('DELETE', `/crm/v2/Leads/${lead}/Notes?ids=${n2},${n3},${n1}`);
    assert.deepEqual({ status: bulk.status, body: bulk.body }, { status: 207, body: { data: [ok(n2, 'record deleted'), badRelated(n3), badRelated(n1)] } });
    assert.equal((await t.crm.call('GET', `/crm/v2/Notes/${n1}`)).status, 204);
    assert.equal((await t.crm.call('GET', `/crm/v2/Notes/${n3}`)).status, 200, 'another parent\'s note is untouched');
    assert.equal((await t.crm.call('GET', `/crm/v2/Leads/${lead}/Notes`)).status, 204);
  });

  test('a relation outside the seed\'s table: 400 INVALID_DATA, resource_path_index 2', async () => {
    const account = await t.crm.one('Accounts');
    const contact = await t.crm.one('Contacts', { Account_Name: { id: account } });
    const lead = await t.crm.one('Leads');
    for (const [method, path] of [
      ['DELETE', `/crm/v2/Leads/${lead}/Attachments?ids=${lead}`],
      ['DELETE', `/crm/v2/Leads/${lead}/Contacts/${contact}`],
      ['DELETE', `/crm/v2/Campaigns/${lead}/Products/${contact}`],
      // Lookup lists can be listed but not delinked: the lookup field decides.
      ['DELETE', `/crm/v2/Accounts/${account}/Contacts/${contact}`],
      ['PUT', `/crm/v2/Accounts/${account}/Contacts/${contact}`],
      ['PUT', `/crm/v2/Leads/${lead}/Notes`],
      ['GET', `/crm/v2/Leads/${lead}/Nothing`],
      ['DELETE', `/crm/v2/Notes/${lead}/Leads/${lead}`],
    ]) {
      const res = await t.crm.call(method, path, method === 'PUT' ? { data: [{ id: contact }] } : undefined);
      assertError(res, 400, 'INVALID_DATA', 'the relation name given seems to be invalid', { resource_path_index: 2 });
    }
    assert.deepEqual(await t.crm.related('Accounts', account, 'Contacts'), [contact], 'the lookup list still lists');
  });

  test('every API version segment v2 … v8 delinks the same way', async () => {
    for (const version of ['v2', 'v2.1', 'v2.2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']) {
      const campaign = await t.crm.one('Campaigns');
      const [a] = await t.crm.insert('Leads', 1);
      await t.crm.link('Campaigns', campaign, 'Leads', [{ id: a }]);
      const res = await t.crm.call('DELETE', `/crm/${version}/Campaigns/${campaign}/Leads?ids=${a}`);
      assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [ok(a)] } }, version);
    }
  });
});

/**
 * Metadata (SPEC §6): settings/modules, settings/related_lists, settings/fields — complete enough for
 * Zoho's SDKs, checked against Zoho's own schemas, with every known v2/v8 difference written down.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertError, Crm, useCrmServer } from '../helpers/crm.js';
import { assertMatchesOas, responseRef, type KnownDifference } from '../helpers/oas.js';

const t = useCrmServer();

/** v2 names a module inside metadata with a string (Zoho's v2 SDKs call .toLowerCase() on it); v8 with {api_name, id}. */
const moduleAsString = (at: RegExp): KnownDifference => ({
  at, v2: (v: unknown) => typeof v === 'string', v8: (v: unknown) => ({ api_name: v, id: '0' }), why: 'v2 metadata names modules with strings',
});
/** v2 sends null for these (Zoho's v2-era JS SDK samples); v8 types them as objects. */
const nullObjects = (at: RegExp): KnownDifference => ({ at, v2: null, v8: undefined, why: 'null in v2 where v8 has an object' });
const IGNORED = { v8RequiredKeys: 'ignored' } as const;

const SERVED = ['Leads', 'Contacts', 'Accounts', 'Deals', 'Campaigns', 'Products', 'Price_Books', 'Notes'];

test('settings/modules lists the served modules, and the non-API ones with api_supported false', async () => {
  const res = await t.crm.call('GET', '/crm/v2/settings/modules');
  assert.equal(res.status, 200);
  const modifiedBy = nullObjects(/^\/modules\/\d+\/modified_by$/);
  assert.deepEqual(assertMatchesOas(res.body, responseRef('modules.json', '/crm/v8/settings/modules', 'GET'), [modifiedBy], IGNORED), [modifiedBy]);
  const served = res.body.modules.filter((m: { api_supported: boolean }) => m.api_supported);
  assert.deepEqual(served.map((m: { api_name: string }) => m.api_name), SERVED);
  const pb = served.find((m: { api_name: string }) => m.api_name === 'Price_Books');
  assert.deepEqual([pb.module_name, pb.singular_label, pb.plural_label, pb.generated_type], ['PriceBooks', 'Price Book', 'Price Books', 'default']);
  for (const m of served) {
    assert.match(m.id, /^\d{19}$/);
    for (const key of ['creatable', 'editable', 'deletable', 'viewable']) assert.equal(typeof m[key], 'boolean', `${m.api_name}.${key}`);
  }
  const unsupported = res.body.modules.filter((m: { api_supported: boolean }) => !m.api_supported).map((m: { api_name: string }) => m.api_name);
  assert.ok(unsupported.includes('Documents') && unsupported.includes('Projects'));
  const one = await t.crm.call('GET', '/crm/v2/settings/modules/price_books');
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.modules.map((m: { api_name: string }) => m.api_name), ['Price_Books']);
  assertError(await t.crm.call('GET', '/crm/v2/settings/modules/Nope'), 400, 'INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: 2 });
});

test('settings/related_lists gives every list with the href Zoho\'s SDKs call', async () => {
  const res = await t.crm.call('GET', '/crm/v2/settings/related_lists?module=Campaigns');
  assert.equal(res.status, 200);
  const RELATED_LISTS = responseRef('related_lists.json', '/crm/v8/settings/related_lists', 'GET');
  const asString = moduleAsString(/^\/related_lists\/\d+\/module$/);
  assert.deepEqual(assertMatchesOas(res.body, RELATED_LISTS, [asString], IGNORED), [asString]);
  const byName = Object.fromEntries(res.body.related_lists.map((l: { api_name: string }) => [l.api_name, l]));
  assert.deepEqual(Object.keys(byName).sort(), ['Contacts', 'Leads', 'Notes']);
  const contacts = byName.Contacts;
  assert.equal(contacts.href, 'Campaigns/{ENTITYID}/Contacts');
  assert.equal(contacts.action, null);
  assert.equal(contacts.type, 'default');
  assert.equal(contacts.name, 'Contacts');
  assert.equal(contacts.display_label, 'Contacts');
  assert.match(contacts.sequence_number, /^\d+$/);
  assert.match(contacts.id, /^\d{19}$/);
  // v2 names the list's module with a string (Zoho's v2 SDKs call .toLowerCase() on it); v8 with {api_name, id}.
  assert.equal(contacts.module, 'Contacts');
  const v8 = await t.crm.call('GET', '/crm/v8/settings/related_lists?module=Campaigns');
  assertMatchesOas(v8.body, RELATED_LISTS, [], IGNORED);
  const v8Contacts = v8.body.related_lists.find((l: { api_name: string }) => l.api_name === 'Contacts');
  assert.equal(v8Contacts.module.api_name, 'Contacts');
  assert.match(v8Contacts.module.id, /^\d{19}$/);

  const products = await t.crm.call('GET', '/crm/v2/settings/related_lists?module=products');
  assert.deepEqual(products.body.related_lists.map((l: { href: string }) => l.href).sort(), [
    'Products/{ENTITYID}/Accounts', 'Products/{ENTITYID}/Contacts', 'Products/{ENTITYID}/Deals', 'Products/{ENTITYID}/Leads',
    'Products/{ENTITYID}/Notes', 'Products/{ENTITYID}/Price_Books',
  ]);
});

test('settings/related_lists and settings/fields need module=', async () => {
  for (const area of ['related_lists', 'fields']) {
    assertError(await t.crm.call('GET', `/crm/v2/settings/${area}`), 400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'module' });
    assertError(await t.crm.call('GET', `/crm/v2/settings/${area}?module=Nope`), 400, 'INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: 0 });
  }
});

test('settings/fields gives data_type, json_type, mandatory flags and lookups', async () => {
  const res = await t.crm.call('GET', '/crm/v2/settings/fields?module=Contacts');
  assert.equal(res.status, 200);
  const asString = moduleAsString(/^\/fields\/\d+\/lookup\/module$/);
  const nulls = nullObjects(/^\/fields\/\d+\/(crypt|history_tracking|association_details)$/);
  assert.deepEqual(assertMatchesOas(res.body, responseRef('fields.json', '/crm/v8/settings/fields', 'GET'), [asString, nulls], IGNORED).length, 2);
  const byName = Object.fromEntries(res.body.fields.map((f: { api_name: string }) => [f.api_name, f]));
  for (const f of res.body.fields) {
    for (const key of ['api_name', 'data_type', 'json_type', 'id', 'field_label', 'system_mandatory', 'lookup']) assert.ok(key in f, `${f.api_name}.${key}`);
  }
  assert.deepEqual([byName.Last_Name.data_type, byName.Last_Name.json_type, byName.Last_Name.system_mandatory], ['text', 'string', true]);
  assert.deepEqual([byName.First_Name.system_mandatory], [false]);
  assert.deepEqual([byName.Account_Name.data_type, byName.Account_Name.json_type], ['lookup', 'jsonobject']);
  assert.equal(byName.Account_Name.lookup.module, 'Accounts', 'v2 names the lookup module with a string');
  assert.deepEqual([byName.Owner.data_type, byName.Created_Time.data_type], ['ownerlookup', 'datetime']);
  const deals = await t.crm.call('GET', '/crm/v2/settings/fields?module=Deals');
  const stage = deals.body.fields.find((f: { api_name: string }) => f.api_name === 'Stage');
  assert.equal(stage.data_type, 'picklist');
  assert.ok(stage.pick_list_values.some((v: { actual_value: string }) => v.actual_value === 'Closed Won'));
});

test('metadata needs a settings scope; the module scope is not enough', async () => {
  const modulesOnly = new Crm(t.server, await t.server.tokenFor(t.crm.orgId, 'ZohoCRM.modules.ALL'));
  assertError(await modulesOnly.call('GET', '/crm/v2/settings/modules'), 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
  const lists = new Crm(t.server, await t.server.tokenFor(t.crm.orgId, 'ZohoCRM.settings.related_lists.READ'));
  assert.equal((await lists.call('GET', '/crm/v2/settings/related_lists?module=Leads')).status, 200);
  assertError(await lists.call('GET', '/crm/v2/settings/fields?module=Leads'), 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
});

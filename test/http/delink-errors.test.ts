/**
 * Every row of the founding document's error table (seed/delink-related-records.txt, "Possible
 * Errors"), produced on purpose, with exact status and body; then SPEC §4.1's request-level errors
 * and the order in which the checks run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, badRelated, Crm, newCrm, ok } from '../helpers/crm.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: Awaited<ReturnType<typeof newCrm>>;
let campaign: string;
let contacts: string[];

before(async () => {
  server = await startTestServer();
  admin = await newCrm(server);
  campaign = await admin.one('Campaigns');
  contacts = await admin.insert('Contacts', 3);
});
after(async () => { await server.close(); });

async function linkAll(): Promise<void> {
  await admin.link('Campaigns', campaign, 'Contacts', contacts.map((id) => ({ id })));
}

/** A user of the admin's org with a custom profile, and a full-scope token for them. */
async function userWithProfile(name: string, modules: Record<string, { view: boolean; create: boolean; edit: boolean; delete: boolean }>): Promise<Crm> {
  await server.admin('POST', `/_zcrm/orgs/${admin.orgId}/profiles`, { name, permissions: { modules } });
  const user = await server.admin('POST', `/_zcrm/orgs/${admin.orgId}/users`, { email: `${name.toLowerCase()}@example.com`, profile: name });
  return new Crm(server, await server.tokenFor(admin.orgId, 'ZohoCRM.modules.ALL', user.user_id));
}

const all = { view: true, create: true, edit: true, delete: true };

describe('the seed\'s error table', () => {
  test('INVALID_MODULE 400: The module name given seems to be invalid', async () => {
    const res = await admin.call('DELETE', `/crm/v2/Campaignz/${campaign}/Contacts?ids=${contacts[0]}`);
    assertError(res, 400, 'INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: 0 });
  });

  test('INVALID_MODULE 400: The given module is not supported in API (Documents, Projects)', async () => {
    for (const m of ['Documents', 'Projects']) {
      const res = await admin.call('DELETE', `/crm/v2/${m}/${campaign}/Contacts?ids=${contacts[0]}`);
      assertError(res, 400, 'INVALID_MODULE', 'The given module is not supported in API', { resource_path_index: 0 });
    }
  });

  test('INVALID_URL_PATTERN 404: Please check if the URL trying to access is a correct one', async () => {
    for (const path of [
      `/crm/v2/Campaigns/${campaign}/Contacts/${contacts[0]}/extra`,
      '/crm/v9/Campaigns',
      '/crm/Campaigns',
      '/crm/v2',
      '/nothing/here',
    ]) {
      const res = await admin.call('DELETE', path);
      assertError(res, 404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
    }
  });

  test('OAUTH_SCOPE_MISMATCH 401: Unauthorized (a ZohoCRM.modules.leads.READ token delinking from Campaigns)', async () => {
    const weak = new Crm(server, await server.tokenFor(admin.orgId, 'ZohoCRM.modules.leads.READ'));
    const res = await weak.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contacts[0]}`);
    assertError(res, 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
    const single = await weak.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${contacts[0]}`);
    assertError(single, 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
  });

  test('OAUTH_SCOPE_MISMATCH: the scope is judged on the parent module of the URL', async () => {
    await linkAll();
    // campaigns.DELETE may delink a campaign's contacts …
    const onCampaign = new Crm(server, await server.tokenFor(admin.orgId, 'ZohoCRM.modules.campaigns.DELETE'));
    const res = await onCampaign.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${contacts[0]}`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [ok(contacts[0])] } });
    // … but not the same relation seen from the contact's side.
    const fromContact = await onCampaign.call('DELETE', `/crm/v2/Contacts/${contacts[1]}/Campaigns/${campaign}`);
    assertError(fromContact, 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
  });

  test('NO_PERMISSION 403: Permission denied to delete records (no edit on the parent module)', async () => {
    const user = await userWithProfile('NoEditCampaigns', { Campaigns: { ...all, edit: false }, Contacts: all });
    const res = await user.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contacts[0]}`);
    assertError(res, 403, 'NO_PERMISSION', 'Permission denied to delete records', { permissions: ['Crm_Implied_Edit_Campaigns'] });
  });

  test('NO_PERMISSION 403: no view on the related module', async () => {
    const user = await userWithProfile('NoViewContacts', { Campaigns: all, Contacts: { ...all, view: false } });
    const res = await user.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${contacts[0]}`);
    assertError(res, 403, 'NO_PERMISSION', 'Permission denied to delete records', { permissions: ['Crm_Implied_View_Contacts'] });
  });

  test('NO_PERMISSION: a profile with edit and view may delink', async () => {
    await linkAll();
    const user = await userWithProfile('CampaignEditors', { Campaigns: { ...all, delete: false }, Contacts: { ...all, edit: false } });
    const res = await user.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${contacts[2]}`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [ok(contacts[2])] } });
  });

  test('INVALID_REQUEST_METHOD 400: POST and PATCH on a related path', async () => {
    for (const method of ['POST', 'PATCH']) {
      for (const path of [`/crm/v2/Campaigns/${campaign}/Contacts`, `/crm/v2/Campaigns/${campaign}/Contacts/${contacts[0]}`]) {
        const res = await admin.call(method, path, { data: [{ id: contacts[0] }] });
        assertError(res, 400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one');
      }
    }
  });

  test('AUTHORIZATION_FAILED 400: private Campaigns, a Standard user who does not own the campaign', async () => {
    await linkAll();
    const user = await server.admin('POST', `/_zcrm/orgs/${admin.orgId}/users`, { email: 'standard@example.com', profile: 'Standard' });
    const standard = new Crm(server, await server.tokenFor(admin.orgId, 'ZohoCRM.modules.ALL', user.user_id));
    await server.admin('PUT', `/_zcrm/orgs/${admin.orgId}/settings`, { private_modules: ['Campaigns'] });
    try {
      const res = await standard.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contacts[0]}`);
      assertError(res, 400, 'AUTHORIZATION_FAILED', 'User does not have sufficient privilege to delete related records data');
      // The owner (an Administrator) still may; and the Standard user may on a campaign of their own.
      const own = await standard.one('Campaigns');
      await standard.link('Campaigns', own, 'Contacts', [{ id: contacts[0] }]);
      const mine = await standard.call('DELETE', `/crm/v2/Campaigns/${own}/Contacts/${contacts[0]}`);
      assert.deepEqual({ status: mine.status, body: mine.body }, { status: 200, body: { data: [ok(contacts[0])] } });
    } finally {
      await server.admin('PUT', `/_zcrm/orgs/${admin.orgId}/settings`, { private_modules: [] });
    }
    const res = await standard.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${contacts[0]}`);
    assert.equal(res.status, 200, 'public again');
  });

  test('INVALID_DATA 400: the related id given seems to be invalid', async () => {
    const lead = await admin.one('Leads');
    const res = await admin.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${lead},1234567890123456789`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 400, body: { data: [badRelated(lead), badRelated('1234567890123456789')] } });
  });

  test('UNABLE_TO_PARSE_DATA_TYPE 400: either the request body or parameters is in wrong format', async () => {
    for (const path of [
      `/crm/v2/Campaigns/${campaign}/Contacts?ids=abc`,
      `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contacts[0]},x1`,
      `/crm/v2/Campaigns/${campaign}/Contacts/abc`,
      `/crm/v2/Campaigns/abc/Contacts?ids=${contacts[0]}`,
      `/crm/v2/Campaigns/-1/Contacts/${contacts[0]}`,
    ]) {
      const res = await admin.call('DELETE', path);
      assertError(res, 400, 'UNABLE_TO_PARSE_DATA_TYPE', 'either the request body or parameters is in wrong format');
    }
  });
});

describe('SPEC §4.1 request-level errors', () => {
  test('MANDATORY_NOT_FOUND when ids is missing or empty on the bulk form', async () => {
    for (const query of ['', '?ids=', '?ids=,', '?other=1', '?ids']) {
      const res = await admin.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts${query}`);
      assertError(res, 400, 'MANDATORY_NOT_FOUND', 'One of the expected parameter is missing', { param_name: 'ids' });
    }
  });

  test('LIMIT_EXCEEDED at 101 ids; 100 ids are answered one by one', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(1000000000000000000n + BigInt(i)));
    const over = await admin.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${ids.join(',')}`);
    assertError(over, 400, 'LIMIT_EXCEEDED', 'Limit Exceeded, You cannot give more than 100 record ids', { limit: '100', param_name: 'ids' });
    const hundred = await admin.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${ids.slice(0, 100).join(',')}`);
    assert.equal(hundred.status, 400);
    assert.deepEqual(hundred.body, { data: ids.slice(0, 100).map(badRelated) });
  });

  test('25-digit and 20-digit ids, and ids above 2^63-1, are UNABLE_TO_PARSE_DATA_TYPE', async () => {
    for (const id of ['3652397000000925128365239', '36523970000009251283', '9223372036854775808']) {
      const bulk = await admin.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${id}`);
      assertError(bulk, 400, 'UNABLE_TO_PARSE_DATA_TYPE', 'either the request body or parameters is in wrong format');
      const single = await admin.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${id}`);
      assertError(single, 400, 'UNABLE_TO_PARSE_DATA_TYPE', 'either the request body or parameters is in wrong format');
    }
  });

  test('a parent record that does not exist: INVALID_DATA, resource_path_index 1', async () => {
    const lead = await admin.one('Leads');
    for (const parent of ['1234567890123456789', lead /* a record, but not a campaign */]) {
      const res = await admin.call('DELETE', `/crm/v2/Campaigns/${parent}/Contacts?ids=${contacts[0]}`);
      assertError(res, 400, 'INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 1 });
    }
  });

  test('AUTHENTICATION_FAILURE without an Authorization header, or with another scheme', async () => {
    const anonymous = new Crm(server, undefined);
    const res = await anonymous.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contacts[0]}`);
    assertError(res, 401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
    const bearer = await anonymous.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contacts[0]}`, undefined, { authorization: `Bearer ${admin.token}` });
    assertError(bearer, 401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
  });

  test('INVALID_TOKEN for garbage, "Zoho-oauthtoken null" and a well-formed unknown token', async () => {
    for (const token of ['garbage', 'null', '1000.00000000000000000000000000000000.00000000000000000000000000000000', `${admin.token}x`]) {
      const res = await new Crm(server, token).call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contacts[0]}`);
      assertError(res, 401, 'INVALID_TOKEN', 'invalid oauth token');
    }
  });

  test('the scheme name matches case-insensitively', async () => {
    const res = await new Crm(server, undefined).call('GET', `/crm/v2/Campaigns/${campaign}`, undefined, { authorization: `zoho-oauthtoken ${admin.token}` });
    assert.equal(res.status, 200, res.text);
  });

  test('INVALID_TOKEN for a revoked token', async () => {
    const org = await server.newOrg();
    const crm = new Crm(server, org.token);
    assert.equal((await crm.call('GET', '/crm/v2/Leads')).status, 204);
    const revoke = await fetch(`${server.url}/oauth/v2/token/revoke?token=${org.token}`, { method: 'POST' });
    assert.deepEqual(await revoke.json(), { status: 'success' });
    assertError(await crm.call('GET', '/crm/v2/Leads'), 401, 'INVALID_TOKEN', 'invalid oauth token');
  });

  test('INVALID_TOKEN for an expired token (after an hour on the server clock)', async () => {
    const own = await startTestServer();
    try {
      const org = await own.newOrg();
      const crm = new Crm(own, org.token);
      await own.admin('POST', '/_zcrm/clock/advance', { seconds: 3599 });
      assert.equal((await crm.call('GET', '/crm/v2/Leads')).status, 204, 'still valid just before the hour');
      await own.admin('POST', '/_zcrm/clock/advance', { seconds: 2 });
      assertError(await crm.call('GET', '/crm/v2/Leads'), 401, 'INVALID_TOKEN', 'invalid oauth token');
    } finally {
      await own.close();
    }
  });
});

describe('SPEC §4.1 order of checks', () => {
  const path = () => `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contacts[0]}`;

  test('URL pattern beats method', async () => {
    assertError(await admin.call('PATCH', `/crm/v2/Campaigns/${campaign}/Contacts/${contacts[0]}/x`), 404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');
  });

  test('method beats token', async () => {
    assertError(await new Crm(server, 'garbage').call('POST', path()), 400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one');
    assertError(await new Crm(server, undefined).call('PATCH', path()), 400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one');
  });

  test('token beats module', async () => {
    assertError(await new Crm(server, 'garbage').call('DELETE', `/crm/v2/Nope/${campaign}/Contacts?ids=1`), 401, 'INVALID_TOKEN', 'invalid oauth token');
    assertError(await new Crm(server, undefined).call('DELETE', `/crm/v2/Documents/${campaign}/Contacts?ids=1`), 401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
  });

  test('module beats scope', async () => {
    const weak = new Crm(server, await server.tokenFor(admin.orgId, 'ZohoCRM.modules.leads.READ'));
    assertError(await weak.call('DELETE', `/crm/v2/Nope/${campaign}/Contacts?ids=1`), 400, 'INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: 0 });
    // The related list is resolved with the module (README: "module and related list → scope").
    assertError(await weak.call('DELETE', `/crm/v2/Campaigns/${campaign}/Attachments?ids=1`), 400, 'INVALID_DATA', 'the relation name given seems to be invalid', { resource_path_index: 2 });
  });

  test('scope beats ids format and limits', async () => {
    const weak = new Crm(server, await server.tokenFor(admin.orgId, 'ZohoCRM.modules.leads.READ'));
    assertError(await weak.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=abc`), 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
    assertError(await weak.call('DELETE', `/crm/v2/Campaigns/abc/Contacts`), 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
  });

  test('ids format and limits beat permission', async () => {
    const user = await userWithProfile('OrderNoEdit', { Campaigns: { ...all, edit: false }, Contacts: all });
    assertError(await user.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=abc`), 400, 'UNABLE_TO_PARSE_DATA_TYPE', 'either the request body or parameters is in wrong format');
    assertError(await user.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts`), 400, 'MANDATORY_NOT_FOUND', 'One of the expected parameter is missing', { param_name: 'ids' });
    const many = Array.from({ length: 101 }, (_, i) => String(i + 1)).join(',');
    assertError(await user.call('DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${many}`), 400, 'LIMIT_EXCEEDED', 'Limit Exceeded, You cannot give more than 100 record ids', { limit: '100', param_name: 'ids' });
  });

  test('permission beats a missing parent', async () => {
    const user = await userWithProfile('OrderNoEdit2', { Campaigns: { ...all, edit: false }, Contacts: all });
    assertError(await user.call('DELETE', `/crm/v2/Campaigns/1234567890123456789/Contacts?ids=${contacts[0]}`), 403, 'NO_PERMISSION', 'Permission denied to delete records', { permissions: ['Crm_Implied_Edit_Campaigns'] });
  });

  test('a missing parent beats per-id results', async () => {
    assertError(await admin.call('DELETE', `/crm/v2/Campaigns/1234567890123456789/Contacts?ids=1,2`), 400, 'INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 1 });
  });
});

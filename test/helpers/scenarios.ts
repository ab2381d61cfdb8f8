/**
 * A representative set of HTTP behaviours — records, link, list, delink, errors, tokens, grant
 * codes, the clock — written once and run against one PostgreSQL-backed server and against two
 * server processes on one database, with every call going to the next instance in turn.
 */
import assert from 'node:assert/strict';
import { api, type ApiAnswer } from './server.js';

export interface Cluster {
  /** Sends each call to the next instance in turn. */
  call(token: string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  admin(method: string, path: string, body?: unknown): Promise<Record<string, any>>;
  newOrg(): Promise<{ orgId: string; token: string; refreshToken: string; clientId: string; clientSecret: string }>;
  urls: string[];
}

export function cluster(urls: string[]): Cluster {
  let turn = 0;
  const next = () => urls[turn++ % urls.length];
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await api(next(), undefined, method, path, body, body === undefined ? {} : { 'content-type': 'application/json' });
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${res.text}`);
    return res.body ?? {};
  };
  return {
    urls,
    call: (token, method, path, body, headers) => api(next(), token, method, path, body, headers),
    admin,
    async newOrg() {
      const org = await admin('POST', '/_zcrm/orgs', {});
      const t = await admin('POST', `/_zcrm/orgs/${org.org_id}/tokens`, { scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL' });
      return { orgId: org.org_id, token: t.access_token, refreshToken: t.refresh_token, clientId: t.client_id, clientSecret: t.client_secret };
    },
  };
}

const ID = /^[0-9]{19}$/;

/** A campaign and `n` contacts made through the Records API; their ids. */
export async function campaignAndContacts(c: Cluster, token: string, n: number): Promise<{ campaign: string; contacts: string[] }> {
  const camp = await c.call(token, 'POST', '/crm/v2/Campaigns', { data: [{ Campaign_Name: 'Spring launch' }] });
  assert.equal(camp.status, 201);
  const people = await c.call(token, 'POST', '/crm/v2/Contacts', { data: Array.from({ length: n }, (_, i) => ({ Last_Name: `Person ${i}` })) });
  assert.equal(people.status, 201);
  const contacts = people.body.data.map((d: any) => d.details.id as string);
  for (const id of [camp.body.data[0].details.id, ...contacts]) assert.match(id, ID);
  return { campaign: camp.body.data[0].details.id, contacts };
}

export const scenarios: Record<string, (c: Cluster) => Promise<void>> = {
  async 'records: insert, read, list, update, delete with per-id results'(c) {
    const { token } = await c.newOrg();
    const made = await c.call(token, 'POST', '/crm/v2/Leads', { data: [{ Last_Name: 'Kitzman', Company: 'Benton' }, { Company: 'No name' }] });
    assert.equal(made.status, 207);
    assert.equal(made.body.data[0].code, 'SUCCESS');
    assert.equal(made.body.data[0].message, 'record added');
    assert.deepEqual(made.body.data[1], { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' }, message: 'required field not found', status: 'error' });
    const id = made.body.data[0].details.id;
    const one = await c.call(token, 'GET', `/crm/v2/Leads/${id}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.data[0].id, id);
    assert.equal(one.body.data[0].Last_Name, 'Kitzman');
    const upd = await c.call(token, 'PUT', `/crm/v2/Leads/${id}`, { data: [{ Company: 'Benton & Co' }] });
    assert.equal(upd.status, 200);
    assert.equal(upd.body.data[0].message, 'record updated');
    const list = await c.call(token, 'GET', '/crm/v2/Leads?fields=Company');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((r: any) => [r.id, r.Company]), [[id, 'Benton & Co']]);
    assert.deepEqual(list.body.info, { per_page: 200, count: 1, page: 1, more_records: false });
    const del = await c.call(token, 'DELETE', `/crm/v2/Leads?ids=${id},1111111000000000001`);
    assert.equal(del.status, 207);
    assert.deepEqual(del.body.data, [
      { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' },
      { code: 'INVALID_DATA', details: { id: '1111111000000000001' }, message: 'the id given seems to be invalid', status: 'error' },
    ]);
    assert.equal((await c.call(token, 'GET', `/crm/v2/Leads/${id}`)).status, 204);
  },

  async 'link, list from both sides, delink with per-id outcomes'(c) {
    const { token } = await c.newOrg();
    const { campaign, contacts: [p1, p2, p3] } = await campaignAndContacts(c, token, 3);
    const link = await c.call(token, 'PUT', `/crm/v2/Campaigns/${campaign}/Contacts`, { data: [{ id: p1, Member_Status: 'Invited' }, { id: p2 }] });
    assert.equal(link.status, 200);
    assert.deepEqual(link.body.data, [
      { code: 'SUCCESS', details: { id: p1 }, message: 'relation updated', status: 'success' },
      { code: 'SUCCESS', details: { id: p2 }, message: 'relation updated', status: 'success' },
    ]);
    const list = await c.call(token, 'GET', `/crm/v2/Campaigns/${campaign}/Contacts`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((r: any) => [r.id, r.Member_Status ?? null]), [[p2, null], [p1, 'Invited']]);
    const back = await c.call(token, 'GET', `/crm/v2/Contacts/${p1}/Campaigns`);
    assert.equal(back.status, 200);
    assert.deepEqual(back.body.data.map((r: any) => r.id), [campaign]);
    const bulk = await c.call(token, 'DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${p1},${p3},1111111000000000002,${p1}`);
    assert.equal(bulk.status, 207);
    assert.deepEqual(bulk.body.data, [
      { code: 'SUCCESS', details: { id: p1 }, message: 'relation removed', status: 'success' },
      { code: 'INVALID_DATA', details: { id: p3 }, message: 'relation not found', status: 'error' },
      { code: 'INVALID_DATA', details: { id: '1111111000000000002' }, message: 'the related id given seems to be invalid', status: 'error' },
      { code: 'INVALID_DATA', details: { id: p1 }, message: 'relation not found', status: 'error' },
    ]);
    const single = await c.call(token, 'DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${p2}`);
    assert.equal(single.status, 200);
    assert.deepEqual(single.body, { data: [{ code: 'SUCCESS', details: { id: p2 }, message: 'relation removed', status: 'success' }] });
    assert.equal((await c.call(token, 'GET', `/crm/v2/Campaigns/${campaign}/Contacts`)).status, 204);
  },

  async 'errors: authentication, module, relation, parent, ids'(c) {
    const { token } = await c.newOrg();
    const { campaign, contacts: [p1] } = await campaignAndContacts(c, token, 1);
    const none = await c.call(undefined, 'DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${p1}`);
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' });
    const bad = await c.call('1000.nope.nope', 'DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${p1}`);
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
    const rel = await c.call(token, 'DELETE', `/crm/v2/Campaigns/${campaign}/Potatoes/${p1}`);
    assert.equal(rel.status, 400);
    assert.deepEqual(rel.body, { code: 'INVALID_DATA', details: { resource_path_index: 2 }, message: 'the relation name given seems to be invalid', status: 'error' });
    const parent = await c.call(token, 'DELETE', `/crm/v2/Campaigns/1111111000000000003/Contacts/${p1}`);
    assert.equal(parent.status, 400);
    assert.deepEqual(parent.body, { code: 'INVALID_DATA', details: { resource_path_index: 1 }, message: 'the id given seems to be invalid', status: 'error' });
    const missing = await c.call(token, 'DELETE', `/crm/v2/Campaigns/${campaign}/Contacts`);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { code: 'MANDATORY_NOT_FOUND', details: { param_name: 'ids' }, message: 'One of the expected parameter is missing', status: 'error' });
    const many = Array.from({ length: 101 }, (_, i) => String(1111111000000000100n + BigInt(i))).join(',');
    const limit = await c.call(token, 'DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${many}`);
    assert.equal(limit.status, 400);
    assert.equal(limit.body.code, 'LIMIT_EXCEEDED');
    const mod = await c.call(token, 'GET', '/crm/v2/Potatoes');
    assert.equal(mod.status, 400);
    assert.deepEqual(mod.body, { code: 'INVALID_MODULE', details: { resource_path_index: 0 }, message: 'The module name given seems to be invalid', status: 'error' });
  },

  async 'tokens: a grant code works once, a revoked refresh token ends its access tokens'(c) {
    const { orgId, token, refreshToken, clientId, clientSecret } = await c.newOrg();
    const sc = await c.admin('POST', `/_zcrm/orgs/${orgId}/self-clients`, { scope: 'ZohoCRM.modules.ALL' });
    const exchange = () => c.call(undefined, 'POST', '/oauth/v2/token', new URLSearchParams({
      grant_type: 'authorization_code', client_id: sc.client_id, client_secret: sc.client_secret, code: sc.code,
    }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    const first = await exchange();
    assert.equal(first.status, 200);
    assert.match(first.body.access_token, /^1000\./);
    assert.deepEqual((await exchange()).body, { error: 'invalid_code' });
    assert.equal((await c.call(first.body.access_token, 'GET', '/crm/v2/Leads')).status, 204);
    const refreshed = await c.call(undefined, 'POST', '/oauth/v2/token', new URLSearchParams({
      grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken,
    }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    const minted = refreshed.body.access_token;
    assert.equal((await c.call(minted, 'GET', '/crm/v2/Leads')).status, 204);
    const revoke = await c.call(undefined, 'POST', `/oauth/v2/token/revoke?token=${encodeURIComponent(refreshToken)}`);
    assert.deepEqual([revoke.status, revoke.body], [200, { status: 'success' }]);
    for (const t of [token, minted, token, minted]) {
      const res = await c.call(t, 'GET', '/crm/v2/Leads');
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'INVALID_TOKEN');
    }
  },

  async 'clock: advancing it expires access tokens on every instance'(c) {
    const { token } = await c.newOrg();
    assert.equal((await c.call(token, 'GET', '/crm/v2/Contacts')).status, 204);
    assert.equal((await c.call(token, 'GET', '/crm/v2/Contacts')).status, 204);
    const moved = await c.admin('POST', '/_zcrm/clock/advance', { seconds: 3601 });
    assert.ok(moved.offset_ms >= 3_601_000);
    for (let i = 0; i < c.urls.length * 2; i++) {
      const res = await c.call(token, 'GET', '/crm/v2/Contacts');
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'INVALID_TOKEN');
    }
    const clocks = await Promise.all(c.urls.map((u) => fetch(`${u}/_zcrm/clock`).then((r) => r.json() as Promise<{ offset_ms: number }>)));
    assert.deepEqual(clocks.map((x) => x.offset_ms), c.urls.map(() => moved.offset_ms));
  },
};

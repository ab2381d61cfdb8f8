// The principal cache must never let a revoked, expired or changed credential through in this process.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.close(); });

const INVALID_TOKEN = { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' };

async function revoke(token: string): Promise<number> {
  const res = await fetch(`${server.url}/oauth/v2/token/revoke?token=${encodeURIComponent(token)}`, { method: 'POST' });
  await res.text();
  return res.status;
}

test('a revoked access token is refused on the very next request', async () => {
  const org = await server.newOrg();
  for (let i = 0; i < 3; i++) assert.equal((await api(server.url, org.token, 'GET', '/crm/v2/Contacts')).status, 204);
  assert.equal(await revoke(org.token), 200);
  const res = await api(server.url, org.token, 'GET', '/crm/v2/Contacts');
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, INVALID_TOKEN);
});

test('revoking a refresh token refuses its access tokens at once', async () => {
  const org = await server.newOrg();
  assert.equal((await api(server.url, org.token, 'GET', '/crm/v2/Contacts')).status, 204);
  assert.equal(await revoke(org.refreshToken), 200);
  const res = await api(server.url, org.token, 'GET', '/crm/v2/Contacts');
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, INVALID_TOKEN);
});

test('a cached token still expires with the server clock', async () => {
  const org = await server.newOrg();
  assert.equal((await api(server.url, org.token, 'GET', '/crm/v2/Contacts')).status, 204);
  await server.admin('POST', '/_zcrm/clock/advance', { seconds: 3601 });
  try {
    const res = await api(server.url, org.token, 'GET', '/crm/v2/Contacts');
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, INVALID_TOKEN);
  } finally {
    server.ctx.clock.setOffset(0);
  }
});

test('a scope is checked against the token, cached or not', async () => {
  const org = await server.newOrg();
  const readOnly = await server.tokenFor(org.orgId, 'ZohoCRM.modules.contacts.READ');
  assert.equal((await api(server.url, readOnly, 'GET', '/crm/v2/Contacts')).status, 204);
  const res = await api(server.url, readOnly, 'GET', '/crm/v2/Leads');
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, { code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'Unauthorized', status: 'error' });
});

test('the SQLite store changes its auth version on every write that authentication reads, and only then', async () => {
  const store = new SqliteStore(':memory:');
  try {
    const v = () => store.authVersion();
    let last = v();
    const changed = () => { const now = v(); const moved = now !== last; last = now; return moved; };
    const org = await store.createOrg({ name: 'x', now: 1 });
    assert.equal(changed(), true);
    const profile = await store.createProfile(org.id, { name: 'P', permissions: { admin: true, modules: {} } });
    assert.equal(changed(), true);
    await store.createUser(org.id, { email: 'a@b.c', name: 'a', profileId: profile.id, passwordHash: null, now: 1 });
    assert.equal(changed(), true);
    await store.updateOrgSettings(org.id, { privateModules: ['Leads'] });
    assert.equal(changed(), true);
    await store.getOrg(org.id);
    await store.listUsers(org.id);
    await store.delinkRelated(org.id, { relation: 'campaign_contacts', side: 'left', parentId: '1', relatedModule: 'Contacts' }, ['2']);
    assert.equal(changed(), false);
    await store.revokeToken('nothing');
    assert.equal(changed(), true);
    await store.reset();
    assert.equal(changed(), true);
  } finally {
    await store.close();
  }
});

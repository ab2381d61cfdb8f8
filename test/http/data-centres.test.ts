import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { authUrl, decide, newApp, PageClient, signIn, tokenCall } from '../helpers/oauth.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.close(); });

const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.users.ALL';
const INVALID_TOKEN = { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' };

test('an org in the EU data centre gets its own accounts URL and api_domain under /dc/eu', async () => {
  const org = await server.admin('POST', '/_zcrm/orgs', { dc: 'eu' });
  assert.equal(org.dc, 'eu');
  assert.equal(org.accounts_url, `${server.url}/dc/eu`);
  assert.equal(org.api_domain, `${server.url}/dc/eu`);
  const us = await server.admin('POST', '/_zcrm/orgs', {});
  assert.equal(us.dc, 'us');
  assert.equal(us.api_domain, server.url);
  await assert.rejects(server.admin('POST', '/_zcrm/orgs', { dc: 'mars' }), /400/);
});

test('the code flow in the EU: location=eu, its accounts-server, its api_domain; other DCs do not know the client', async () => {
  const app = await newApp(server, 'server', { dc: 'eu' });
  const client = new PageClient(server.url);
  const wrongDc = await client.get(authUrl(app, { response_type: 'code', scope: SCOPE }));
  assert.equal(wrongDc.status, 400);
  assert.match(wrongDc.html, /Invalid client/);

  const consent = await signIn(client, authUrl(app, { response_type: 'code', scope: SCOPE, access_type: 'offline' }, '/dc/eu/oauth/v2/auth'), app.email, app.password);
  const back = new URL(await decide(client, consent, 'accept'));
  assert.equal(back.searchParams.get('location'), 'eu');
  assert.equal(back.searchParams.get('accounts-server'), `${server.url}/dc/eu`);

  const form = { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: app.redirectUri, code: back.searchParams.get('code')! };
  assert.deepEqual(await tokenCall(server.url, form), { status: 200, body: { error: 'invalid_client' } });
  assert.deepEqual(await tokenCall(server.url, form, '/dc/jp/oauth/v2/token'), { status: 200, body: { error: 'invalid_client' } });
  const t = await tokenCall(server.url, form, '/dc/eu/oauth/v2/token');
  assert.equal(t.body.api_domain, `${server.url}/dc/eu`);

  const home = await api(`${server.url}/dc/eu`, t.body.access_token, 'GET', '/crm/v2/users?type=CurrentUser');
  assert.equal(home.status, 200);
  assert.equal(home.body.users[0].email, app.email);
  // A client that hard-codes the US API domain fails as it would against Zoho.
  const hardCoded = await api(server.url, t.body.access_token, 'GET', '/crm/v2/users?type=CurrentUser');
  assert.equal(hardCoded.status, 401);
  assert.deepEqual(hardCoded.body, INVALID_TOKEN);
  const elsewhere = await api(`${server.url}/dc/in`, t.body.access_token, 'GET', '/crm/v2/users?type=CurrentUser');
  assert.deepEqual(elsewhere.body, INVALID_TOKEN);

  assert.equal((await tokenCall(server.url, { token: t.body.refresh_token }, '/oauth/v2/token/revoke')).status, 400);
  assert.deepEqual(await tokenCall(server.url, { token: t.body.refresh_token }, '/dc/eu/oauth/v2/token/revoke'), { status: 200, body: { status: 'success' } });
});

test('a US token is refused by every other data centre; admin-minted tokens follow the org', async () => {
  const us = await server.newOrg();
  const refused = await api(`${server.url}/dc/eu`, us.token, 'GET', '/crm/v2/users');
  assert.equal(refused.status, 401);
  assert.deepEqual(refused.body, INVALID_TOKEN);
  assert.equal((await api(server.url, us.token, 'GET', '/crm/v2/users')).status, 200);

  const org = await server.admin('POST', '/_zcrm/orgs', { dc: 'au' });
  const minted = await server.admin('POST', `/_zcrm/orgs/${org.org_id}/tokens`, { scope: SCOPE });
  assert.equal(minted.api_domain, `${server.url}/dc/au`);
  assert.equal((await api(minted.api_domain, minted.access_token, 'GET', '/crm/v2/users')).status, 200);
  const self = await server.admin('POST', `/_zcrm/orgs/${org.org_id}/self-clients`, { scope: SCOPE });
  assert.equal(self.accounts_url, `${server.url}/dc/au`);
});

test('only Zoho\'s surfaces exist per data centre', async () => {
  const admin = await fetch(`${server.url}/dc/eu/_zcrm/health`);
  assert.equal(admin.status, 404);
  const us = await api(server.url, undefined, 'GET', '/dc/us/crm/v2/users');
  assert.equal(us.status, 404);
  assert.equal(us.body.code, 'INVALID_URL_PATTERN');
  const noAuth = await api(`${server.url}/dc/eu`, undefined, 'GET', '/crm/v2/users');
  assert.equal(noAuth.status, 401);
  assert.deepEqual(noAuth.body, { code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' });
});

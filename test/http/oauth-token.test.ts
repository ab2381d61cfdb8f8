/**
 * Zoho's token endpoint (SPEC §7, ZOHO-FACTS §1.4–1.6) as a self client uses it: a grant code for
 * chosen scopes exchanged once, refresh, revoke; errors as {"error":…} with HTTP 200; form,
 * multipart and query-string parameters.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, Crm } from '../helpers/crm.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let orgId: string;

before(async () => {
  server = await startTestServer();
  orgId = (await server.admin('POST', '/_zcrm/orgs', {})).org_id;
});
after(async () => { await server.close(); });

const TOKEN = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;

async function selfClient(scope = 'ZohoCRM.modules.ALL'): Promise<{ client_id: string; client_secret: string; code: string }> {
  return server.admin('POST', `/_zcrm/orgs/${orgId}/self-clients`, { scope }) as Promise<{ client_id: string; client_secret: string; code: string }>;
}

type Encoding = 'form' | 'multipart' | 'query';

async function token(params: Record<string, string>, encoding: Encoding = 'form'): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  if (encoding === 'query') {
    res = await fetch(`${server.url}/oauth/v2/token?${new URLSearchParams(params)}`, { method: 'POST' });
  } else if (encoding === 'multipart') {
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) form.append(k, v);
    res = await fetch(`${server.url}/oauth/v2/token`, { method: 'POST', body: form });
  } else {
    res = await fetch(`${server.url}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams(params) });
  }
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const exchange = (c: { client_id: string; client_secret: string; code: string }, encoding: Encoding = 'form') =>
  token({ grant_type: 'authorization_code', client_id: c.client_id, client_secret: c.client_secret, code: c.code }, encoding);

describe('authorization_code', () => {
  for (const encoding of ['form', 'multipart', 'query'] as Encoding[]) {
    test(`a self client's code is exchanged for tokens (${encoding} parameters)`, async () => {
      const c = await selfClient('ZohoCRM.modules.leads.ALL');
      const res = await exchange(c, encoding);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'api_domain', 'expires_in', 'refresh_token', 'token_type']);
      assert.match(String(res.body.access_token), TOKEN);
      assert.match(String(res.body.refresh_token), TOKEN);
      assert.equal(res.body.api_domain, server.url);
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.expires_in, 3600);
      // The token carries the granted scopes, and only those.
      const crm = new Crm(server, String(res.body.access_token));
      assert.equal((await crm.call('GET', '/crm/v2/Leads')).status, 204);
      assertError(await crm.call('GET', '/crm/v2/Contacts'), 401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized');
    });
  }

  test('a code works once: the second exchange answers invalid_code with HTTP 200', async () => {
    const c = await selfClient();
    assert.equal(typeof (await exchange(c)).body.access_token, 'string');
    assert.deepEqual(await exchange(c), { status: 200, body: { error: 'invalid_code' } });
  });

  test('an expired code (two minutes) answers invalid_code', async () => {
    const own = await startTestServer();
    try {
      const org = await own.admin('POST', '/_zcrm/orgs', {});
      const c = await own.admin('POST', `/_zcrm/orgs/${org.org_id}/self-clients`, { scope: 'ZohoCRM.modules.ALL' });
      await own.admin('POST', '/_zcrm/clock/advance', { seconds: 121 });
      const res = await fetch(`${own.url}/oauth/v2/token`, {
        method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: c.client_id, client_secret: c.client_secret, code: c.code }),
      });
      assert.deepEqual({ status: res.status, body: await res.json() }, { status: 200, body: { error: 'invalid_code' } });
    } finally {
      await own.close();
    }
  });

  test('wrong secret → invalid_client_secret; unknown client → invalid_client; another client\'s code → invalid_code (all HTTP 200)', async () => {
    const c = await selfClient();
    const other = await selfClient();
    assert.deepEqual(await exchange({ ...c, client_secret: 'wrong' }), { status: 200, body: { error: 'invalid_client_secret' } });
    assert.deepEqual(await exchange({ ...c, client_id: '1000.NOSUCHCLIENT' }), { status: 200, body: { error: 'invalid_client' } });
    assert.deepEqual(await exchange({ ...c, code: other.code }), { status: 200, body: { error: 'invalid_code' } });
    assert.deepEqual(await exchange({ ...c, code: '1000.00000000000000000000000000000000.00000000000000000000000000000000' }), { status: 200, body: { error: 'invalid_code' } });
    // The failed attempts did not use up the real code.
    assert.equal(typeof (await exchange(c)).body.access_token, 'string');
  });
});

describe('refresh_token and revoke', () => {
  test('refresh gives a new access token without a new refresh token; revoking the refresh token ends them all', async () => {
    const c = await selfClient('ZohoCRM.modules.ALL');
    const first = (await exchange(c)).body;
    const refreshed = await token({ grant_type: 'refresh_token', client_id: c.client_id, client_secret: c.client_secret, refresh_token: String(first.refresh_token) });
    assert.equal(refreshed.status, 200);
    assert.deepEqual(Object.keys(refreshed.body).sort(), ['access_token', 'api_domain', 'expires_in', 'token_type']);
    assert.match(String(refreshed.body.access_token), TOKEN);
    assert.notEqual(refreshed.body.access_token, first.access_token);
    const tokens = [String(first.access_token), String(refreshed.body.access_token)];
    for (const t of tokens) assert.equal((await new Crm(server, t).call('GET', '/crm/v2/Leads')).status, 204);

    const revoke = await fetch(`${server.url}/oauth/v2/token/revoke?token=${first.refresh_token}`, { method: 'POST' });
    assert.deepEqual({ status: revoke.status, body: await revoke.json() }, { status: 200, body: { status: 'success' } });
    for (const t of tokens) assertError(await new Crm(server, t).call('GET', '/crm/v2/Leads'), 401, 'INVALID_TOKEN', 'invalid oauth token');
    const again = await token({ grant_type: 'refresh_token', client_id: c.client_id, client_secret: c.client_secret, refresh_token: String(first.refresh_token) });
    assert.deepEqual(again, { status: 200, body: { error: 'invalid_code' } });
  });

  test('a refresh token works only with its own client', async () => {
    const c = await selfClient();
    const other = await selfClient();
    const first = (await exchange(c)).body;
    const res = await token({ grant_type: 'refresh_token', client_id: other.client_id, client_secret: other.client_secret, refresh_token: String(first.refresh_token) });
    assert.deepEqual(res, { status: 200, body: { error: 'invalid_code' } });
  });

  test('revoking one access token ends only that token; an unknown token is refused with 400', async () => {
    const c = await selfClient();
    const first = (await exchange(c)).body;
    const second = (await token({ grant_type: 'refresh_token', client_id: c.client_id, client_secret: c.client_secret, refresh_token: String(first.refresh_token) })).body;
    const revoke = await fetch(`${server.url}/oauth/v2/token/revoke`, { method: 'POST', body: new URLSearchParams({ token: String(first.access_token) }) });
    assert.deepEqual(await revoke.json(), { status: 'success' });
    assertError(await new Crm(server, String(first.access_token)).call('GET', '/crm/v2/Leads'), 401, 'INVALID_TOKEN', 'invalid oauth token');
    assert.equal((await new Crm(server, String(second.access_token)).call('GET', '/crm/v2/Leads')).status, 204);
    const unknown = await fetch(`${server.url}/oauth/v2/token/revoke?token=nope`, { method: 'POST' });
    assert.equal(unknown.status, 400);
  });

  test('an unknown grant type is refused with HTTP 200', async () => {
    const c = await selfClient();
    assert.deepEqual(await token({ grant_type: 'password', client_id: c.client_id, client_secret: c.client_secret }), { status: 200, body: { error: 'unsupported_grant_type' } });
  });
});

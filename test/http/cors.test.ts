import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { grant, newApp, tokenCall } from '../helpers/oauth.js';
import { campaignWithContacts } from '../helpers/records.js';

let server: TestServer;
let appToken: string;
let campaignId: string;
let contactIds: string[];
const APP_ORIGIN = 'https://app.zylker.example';
const OTHER_APP_ORIGIN = 'https://reports.zylker.example';
const STRANGER = 'https://evil.example';

before(async () => {
  server = await startTestServer();
  const app = await newApp(server, 'browser', { origins: [APP_ORIGIN] });
  await newApp(server, 'browser', { origins: [OTHER_APP_ORIGIN] });
  const back = await grant(server, app, { response_type: 'token', scope: 'ZohoCRM.modules.ALL' });
  appToken = new URLSearchParams(back.hash.slice(1)).get('access_token')!;
  ({ campaignId, contactIds } = await campaignWithContacts(server.url, appToken, 3));
});
after(async () => { await server.close(); });

const preflight = (origin: string, path = `/crm/v2/Campaigns/1/Contacts?ids=1`) =>
  fetch(server.url + path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization,content-type' },
  });

function assertCors(headers: Headers, origin: string): void {
  assert.equal(headers.get('access-control-allow-origin'), origin);
  assert.equal(headers.get('access-control-allow-credentials'), 'true');
  assert.match(headers.get('vary') ?? '', /Origin/);
}

test('preflight for DELETE with Authorization needs no token and echoes a registered origin', async () => {
  const res = await preflight(APP_ORIGIN);
  assert.equal(res.status, 204);
  assertCors(res.headers, APP_ORIGIN);
  assert.match(res.headers.get('access-control-allow-methods')!, /DELETE/);
  assert.equal(res.headers.get('access-control-allow-headers'), 'authorization,content-type');
  const other = await preflight(OTHER_APP_ORIGIN, '/oauth/v2/token');
  assertCors(other.headers, OTHER_APP_ORIGIN);
});

test('an origin no client registered is refused: no CORS headers, preflight 403', async () => {
  const res = await preflight(STRANGER);
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
  assert.equal(res.headers.get('access-control-allow-credentials'), null);
  const call = await api(server.url, 'null', 'DELETE', `/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`, undefined, { origin: STRANGER });
  assert.equal(call.headers.get('access-control-allow-origin'), null);
});

test('by default loopback origins (pages on the developer\'s machine) are answered, with any token', async () => {
  const res = await preflight('http://127.0.0.1:5501');
  assert.equal(res.status, 204);
  assertCors(res.headers, 'http://127.0.0.1:5501');
  assertCors((await preflight('http://localhost:3000')).headers, 'http://localhost:3000');
  const call = await api(server.url, appToken, 'GET', `/crm/v2/Campaigns/${campaignId}/Contacts`, undefined, { origin: 'http://127.0.0.1:5501' });
  assertCors(call.headers, 'http://127.0.0.1:5501');
});

test('--cors strict: only registered origins, loopback ones included; with a token, only its client\'s', async () => {
  const strict = await startTestServer({ cors: 'strict' });
  try {
    const local = 'http://127.0.0.1:5501';
    const app = await newApp(strict, 'browser', { origins: [local] });
    const other = await newApp(strict, 'browser', { origins: ['http://127.0.0.1:5502'] });
    const res = await fetch(`${strict.url}/crm/v2/Leads`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5503', 'access-control-request-method': 'DELETE' } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const ok = await fetch(`${strict.url}/crm/v2/Leads`, { method: 'OPTIONS', headers: { origin: local, 'access-control-request-method': 'DELETE' } });
    assertCors(ok.headers, local);
    const token = new URLSearchParams((await grant(strict, app, { response_type: 'token', scope: 'ZohoCRM.modules.ALL' })).hash.slice(1)).get('access_token')!;
    assertCors((await api(strict.url, token, 'GET', '/crm/v2/Leads', undefined, { origin: local })).headers, local);
    const foreign = await api(strict.url, token, 'GET', '/crm/v2/Leads', undefined, { origin: 'http://127.0.0.1:5502' });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const invalid = await api(strict.url, 'null', 'GET', '/crm/v2/Leads', undefined, { origin: 'http://127.0.0.1:5502' });
    assert.equal(invalid.status, 401);
    assertCors(invalid.headers, 'http://127.0.0.1:5502');
    assert.ok(other.clientId);
  } finally {
    await strict.close();
  }
});

test('the sample\'s first call, "Zoho-oauthtoken null", gets INVALID_TOKEN 401 with the CORS headers', async () => {
  const res = await api(server.url, 'null', 'DELETE', `/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`, 'null', {
    origin: APP_ORIGIN, 'content-type': 'text/plain;charset=UTF-8',
  });
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
  assertCors(res.headers, APP_ORIGIN);
});

test('DELETE with the text body null as text/plain delinks, with the CORS headers of the token\'s client', async () => {
  const res = await api(server.url, appToken, 'DELETE', `/crm/v2/Campaigns/${campaignId}/Contacts?ids=${contactIds[0]}`, 'null', {
    origin: APP_ORIGIN, 'content-type': 'text/plain;charset=UTF-8',
  });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { data: [{ code: 'SUCCESS', details: { id: contactIds[0] }, message: 'relation removed', status: 'success' }] });
  assertCors(res.headers, APP_ORIGIN);
});

test('errors carry the CORS headers too', async () => {
  const res = await api(server.url, appToken, 'DELETE', `/crm/v2/Nonsense/${campaignId}/Contacts?ids=1`, undefined, { origin: APP_ORIGIN });
  assert.equal(res.status, 400);
  assert.equal(res.body.code, 'INVALID_MODULE');
  assertCors(res.headers, APP_ORIGIN);
  const notFound = await api(server.url, appToken, 'GET', '/crm/v2', undefined, { origin: APP_ORIGIN });
  assert.equal(notFound.status, 404);
  assertCors(notFound.headers, APP_ORIGIN);
});

test('with a token, only the origins of the token\'s own client are echoed', async () => {
  const res = await api(server.url, appToken, 'GET', `/crm/v2/Campaigns/${campaignId}/Contacts`, undefined, { origin: OTHER_APP_ORIGIN });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
});

test('the token endpoints answer registered origins with CORS headers', async () => {
  const res = await fetch(`${server.url}/oauth/v2/token/revoke`, { method: 'POST', headers: { origin: APP_ORIGIN }, body: new URLSearchParams({ token: '1000.a.b' }) });
  assert.equal(res.status, 400);
  assertCors(res.headers, APP_ORIGIN);
  const stranger = await fetch(`${server.url}/oauth/v2/token`, { method: 'POST', headers: { origin: STRANGER } });
  assert.deepEqual(await stranger.json(), { error: 'unsupported_grant_type' });
  assert.equal(stranger.headers.get('access-control-allow-origin'), null);
});

test('--cors any echoes every origin', async () => {
  const open = await startTestServer({ cors: 'any' });
  try {
    const res = await fetch(`${open.url}/crm/v2/Leads`, { method: 'OPTIONS', headers: { origin: STRANGER, 'access-control-request-method': 'DELETE' } });
    assert.equal(res.status, 204);
    assertCors(res.headers, STRANGER);
  } finally {
    await open.close();
  }
});

test('without an Origin header nothing changes: no CORS headers, preflight 204', async () => {
  const res = await fetch(`${server.url}/crm/v2/Leads`, { method: 'OPTIONS' });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
  const t = await tokenCall(server.url, { grant_type: 'refresh_token' });
  assert.deepEqual(t.body, { error: 'invalid_client' });
});

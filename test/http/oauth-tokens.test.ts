import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { authUrl, decide, grant, newApp, PageClient, signIn, tokenCall, type App } from '../helpers/oauth.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.close(); });

const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.users.ALL';
const INVALID_TOKEN = { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' };
const THROTTLED = {
  error: 'Access Denied',
  error_description: 'You have made too many requests continuously. Please try again after some time.',
  status: 'failure',
};

const advance = (seconds: number) => server.admin('POST', '/_zcrm/clock/advance', { seconds });
const whoAmI = (token: string) => api(server.url, token, 'GET', '/crm/v2/users?type=CurrentUser');

async function codeFor(app: App, client?: PageClient): Promise<string> {
  if (!client) return (await grant(server, app, { response_type: 'code', scope: SCOPE, access_type: 'offline', prompt: 'consent' })).searchParams.get('code')!;
  const consent = await client.get(authUrl(app, { response_type: 'code', scope: SCOPE, access_type: 'offline', prompt: 'consent' }));
  return new URL(await decide(client, consent, 'accept')).searchParams.get('code')!;
}

const exchange = (app: App, code: string) =>
  tokenCall(server.url, { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: app.redirectUri, code });
const refresh = (app: App, refreshToken: string) =>
  tokenCall(server.url, { grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: refreshToken });

test('a grant code lives two minutes', async () => {
  const app = await newApp(server, 'server');
  const fresh = await codeFor(app);
  await advance(119);
  assert.equal(typeof (await exchange(app, fresh)).body.access_token, 'string');
  const stale = await codeFor(app);
  await advance(121);
  assert.deepEqual(await exchange(app, stale), { status: 200, body: { error: 'invalid_code' } });
});

test('an access token lives one hour; the refresh token then gives a new one', async () => {
  const app = await newApp(server, 'server');
  const t = (await exchange(app, await codeFor(app))).body;
  await advance(3599);
  assert.equal((await whoAmI(t.access_token)).status, 200);
  await advance(2);
  const expired = await whoAmI(t.access_token);
  assert.equal(expired.status, 401);
  assert.deepEqual(expired.body, INVALID_TOKEN);
  const renewed = await refresh(app, t.refresh_token);
  assert.equal((await whoAmI(renewed.body.access_token)).status, 200);
});

test('ten access tokens per refresh token in ten minutes, then Zoho\'s HTTP 200 "Access Denied"', async () => {
  const app = await newApp(server, 'server');
  const t = (await exchange(app, await codeFor(app))).body;
  for (let i = 0; i < 9; i++) assert.equal(typeof (await refresh(app, t.refresh_token)).body.access_token, 'string', `refresh ${i + 1}`);
  assert.deepEqual(await refresh(app, t.refresh_token), { status: 200, body: THROTTLED });
  await advance(601);
  assert.equal(typeof (await refresh(app, t.refresh_token)).body.access_token, 'string');
});

test('at most 15 live access tokens per refresh token: the 16th ends the oldest', async () => {
  const app = await newApp(server, 'server');
  const t = (await exchange(app, await codeFor(app))).body;
  const tokens: string[] = [t.access_token];
  for (let i = 0; i < 9; i++) tokens.push((await refresh(app, t.refresh_token)).body.access_token);
  await advance(601);
  for (let i = 0; i < 5; i++) tokens.push((await refresh(app, t.refresh_token)).body.access_token);
  assert.equal(tokens.length, 15);
  assert.equal((await whoAmI(tokens[0])).status, 200);
  tokens.push((await refresh(app, t.refresh_token)).body.access_token);
  const oldest = await whoAmI(tokens[0]);
  assert.equal(oldest.status, 401);
  assert.deepEqual(oldest.body, INVALID_TOKEN);
  assert.equal((await whoAmI(tokens[1])).status, 200);
  assert.equal((await whoAmI(tokens[15])).status, 200);
});

test('at most 20 refresh tokens per user and client (the 21st deletes the oldest with its access tokens); ten new ones per ten minutes', async () => {
  const app = await newApp(server, 'server');
  const client = new PageClient(server.url);
  await signIn(client, authUrl(app, { response_type: 'code', scope: SCOPE }), app.email, app.password);
  const issued: { access_token: string; refresh_token: string }[] = [];
  for (let i = 0; i < 21; i++) {
    if (i === 10 || i === 20) {
      assert.deepEqual(await exchange(app, await codeFor(app, client)), { status: 200, body: THROTTLED }, `refresh token ${i + 1} within ten minutes`);
      await advance(601);
    }
    const t = await exchange(app, await codeFor(app, client));
    assert.equal(typeof t.body.refresh_token, 'string', `refresh token ${i + 1}`);
    issued.push(t.body);
  }
  assert.deepEqual(await refresh(app, issued[0].refresh_token), { status: 200, body: { error: 'invalid_code' } });
  assert.deepEqual((await whoAmI(issued[0].access_token)).body, INVALID_TOKEN);
  assert.equal((await whoAmI(issued[1].access_token)).status, 200);
  assert.equal(typeof (await refresh(app, issued[1].refresh_token)).body.access_token, 'string');
});

test('access_type=offline without a new consent gives no refresh token (Zoho gives it on first consent only)', async () => {
  const app = await newApp(server, 'server');
  const client = new PageClient(server.url);
  const consent = await signIn(client, authUrl(app, { response_type: 'code', scope: SCOPE, access_type: 'offline' }), app.email, app.password);
  const first = new URL(await decide(client, consent, 'accept')).searchParams.get('code')!;
  assert.equal(typeof (await exchange(app, first)).body.refresh_token, 'string');
  const again = await client.get(authUrl(app, { response_type: 'code', scope: SCOPE, access_type: 'offline' }));
  assert.equal(again.status, 302);
  const t = await exchange(app, new URL(again.location!).searchParams.get('code')!);
  assert.equal(typeof t.body.access_token, 'string');
  assert.equal(t.body.refresh_token, undefined);
});

test('revoke: a refresh token ends with its access tokens; an access token alone; unknown tokens answer 400', async () => {
  const app = await newApp(server, 'server');
  const t = (await exchange(app, await codeFor(app))).body;
  const second = (await refresh(app, t.refresh_token)).body.access_token;
  const other = (await exchange(app, await codeFor(app))).body;

  assert.deepEqual(await tokenCall(server.url, { token: other.access_token }, '/oauth/v2/token/revoke'), { status: 200, body: { status: 'success' } });
  assert.deepEqual((await whoAmI(other.access_token)).body, INVALID_TOKEN);
  assert.equal(typeof (await refresh(app, other.refresh_token)).body.access_token, 'string');

  const res = await fetch(`${server.url}/oauth/v2/token/revoke?token=${t.refresh_token}`, { method: 'POST' });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'success' });
  for (const token of [t.access_token, second]) assert.deepEqual((await whoAmI(token)).body, INVALID_TOKEN);
  assert.deepEqual(await refresh(app, t.refresh_token), { status: 200, body: { error: 'invalid_code' } });
  const unknown = await tokenCall(server.url, { token: '1000.0000.0000' }, '/oauth/v2/token/revoke');
  assert.equal(unknown.status, 400);
});

test('token endpoint errors are HTTP 200 with Zoho\'s error codes', async () => {
  const app = await newApp(server, 'server');
  const code = await codeFor(app);
  const base = { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: app.redirectUri, code };
  assert.deepEqual(await tokenCall(server.url, { ...base, client_id: '1000.UNKNOWN' }), { status: 200, body: { error: 'invalid_client' } });
  assert.deepEqual(await tokenCall(server.url, { ...base, client_secret: 'wrong' }), { status: 200, body: { error: 'invalid_client_secret' } });
  assert.deepEqual(await tokenCall(server.url, { ...base, grant_type: 'password' }), { status: 200, body: { error: 'unsupported_grant_type' } });
  assert.deepEqual(await tokenCall(server.url, { ...base, code: '1000.abc.def' }), { status: 200, body: { error: 'invalid_code' } });
  assert.equal(typeof (await tokenCall(server.url, base)).body.access_token, 'string');
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { authUrl, decide, formAction, grant, newApp, PageClient, signIn, tokenCall } from '../helpers/oauth.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.close(); });

const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.users.ALL';

test('authorization-code flow: sign in, accept, code with location and accounts-server, exchange, refresh', async () => {
  const app = await newApp(server, 'server');
  const back = await grant(server, app, { response_type: 'code', scope: SCOPE, access_type: 'offline', state: 'xyz 1' });
  assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.1:5501/redirect.html');
  assert.deepEqual([...back.searchParams.keys()], ['code', 'location', 'accounts-server', 'state']);
  assert.match(back.searchParams.get('code')!, /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
  assert.equal(back.searchParams.get('location'), 'us');
  assert.equal(back.searchParams.get('accounts-server'), server.url);
  assert.equal(back.searchParams.get('state'), 'xyz 1');

  const exchange = { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: app.redirectUri, code: back.searchParams.get('code')! };
  const t = await tokenCall(server.url, exchange);
  assert.equal(t.status, 200);
  assert.deepEqual(Object.keys(t.body).sort(), ['access_token', 'api_domain', 'expires_in', 'refresh_token', 'token_type']);
  assert.equal(t.body.api_domain, server.url);
  assert.equal(t.body.token_type, 'Bearer');
  assert.equal(t.body.expires_in, 3600);
  const me = await api(server.url, t.body.access_token, 'GET', '/crm/v2/users?type=CurrentUser');
  assert.equal(me.status, 200);
  assert.equal(me.body.users[0].email, app.email);

  const again = await tokenCall(server.url, exchange);
  assert.deepEqual(again, { status: 200, body: { error: 'invalid_code' } });

  const refreshed = await tokenCall(server.url, { grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: t.body.refresh_token });
  assert.deepEqual(Object.keys(refreshed.body).sort(), ['access_token', 'api_domain', 'expires_in', 'token_type']);
});

test('access_type=online (the default) gives no refresh token; the code needs the same redirect_uri', async () => {
  const app = await newApp(server, 'server');
  const back = await grant(server, app, { response_type: 'code', scope: SCOPE });
  const code = back.searchParams.get('code')!;
  const base = { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, code };
  assert.deepEqual(await tokenCall(server.url, { ...base, redirect_uri: 'http://127.0.0.1:5501/other' }), { status: 200, body: { error: 'invalid_redirect_uri' } });
  const back2 = await grant(server, app, { response_type: 'code', scope: SCOPE, prompt: 'consent' });
  const t = await tokenCall(server.url, { ...base, code: back2.searchParams.get('code')!, redirect_uri: app.redirectUri });
  assert.equal(typeof t.body.access_token, 'string');
  assert.equal(t.body.refresh_token, undefined);
});

test('implicit flow: the token comes in the fragment, URL-safe, with no refresh token, and calls the API', async () => {
  const app = await newApp(server, 'browser');
  const back = await grant(server, app, { response_type: 'token', scope: SCOPE, state: 'zohocrmclient' });
  assert.equal(back.search, '');
  assert.match(back.hash, /^#access_token=1000\.[0-9a-f]{32}\.[0-9a-f]{32}&token_type=Bearer&expires_in=3600&api_domain=[^&]+&state=zohocrmclient/);
  const frag = new URLSearchParams(back.hash.slice(1));
  assert.equal(frag.get('api_domain'), server.url);
  assert.equal(frag.get('refresh_token'), null);
  const me = await api(server.url, frag.get('access_token')!, 'GET', '/crm/v2/users?type=CurrentUser');
  assert.equal(me.status, 200);
});

test('an already granted user skips the consent page; prompt=consent shows it again; /auth/refresh never does', async () => {
  const app = await newApp(server, 'browser');
  const client = new PageClient(server.url);
  const consent = await signIn(client, authUrl(app, { response_type: 'token', scope: SCOPE }), app.email, app.password);
  assert.match(consent.html, /Accept/);
  await decide(client, consent, 'accept');

  const silent = await client.get(authUrl(app, { response_type: 'token', scope: SCOPE, state: 's' }));
  assert.equal(silent.status, 302);
  assert.match(silent.location!, /^http:\/\/127\.0\.0\.1:5501\/redirect\.html#access_token=1000\./);

  const forced = await client.get(authUrl(app, { response_type: 'token', scope: SCOPE, prompt: 'consent' }));
  assert.equal(forced.status, 200);
  assert.match(forced.html, /Deny/);

  const refresh = await client.get(authUrl(app, { response_type: 'token', scope: SCOPE, prompt: 'consent' }, '/oauth/v2/auth/refresh'));
  assert.equal(refresh.status, 302);
  assert.match(refresh.location!, /#access_token=1000\./);

  // A scope not granted before needs consent again.
  const wider = await client.get(authUrl(app, { response_type: 'token', scope: `${SCOPE},ZohoCRM.org.ALL` }));
  assert.equal(wider.status, 200);
  assert.match(wider.html, /ZohoCRM\.org\.ALL/);
});

test('/oauth/v2/auth/refresh signs in first when there is no session, then returns to the app', async () => {
  const app = await newApp(server, 'browser');
  await grant(server, app, { response_type: 'token', scope: SCOPE });
  const client = new PageClient(server.url);
  const after = await signIn(client, authUrl(app, { response_type: 'token', scope: SCOPE }, '/oauth/v2/auth/refresh'), app.email, app.password);
  assert.equal(after.status, 302);
  assert.match(after.location!, /^http:\/\/127\.0\.0\.1:5501\/redirect\.html#access_token=/);
});

test('Deny goes back to the redirect URI with error=access_denied and the state', async () => {
  const code = await newApp(server, 'server');
  let client = new PageClient(server.url);
  let consent = await signIn(client, authUrl(code, { response_type: 'code', scope: SCOPE, state: 'st' }), code.email, code.password);
  assert.equal(await decide(client, consent, 'deny'), 'http://127.0.0.1:5501/redirect.html?error=access_denied&state=st');

  const implicit = await newApp(server, 'browser');
  client = new PageClient(server.url);
  consent = await signIn(client, authUrl(implicit, { response_type: 'token', scope: SCOPE, state: 'st' }), implicit.email, implicit.password);
  assert.equal(await decide(client, consent, 'deny'), 'http://127.0.0.1:5501/redirect.html#error=access_denied&state=st');
});

test('unknown client and unregistered redirect URI are shown on the page, never redirected', async () => {
  const app = await newApp(server, 'server');
  const client = new PageClient(server.url);
  const unknown = await client.get(`/oauth/v2/auth?client_id=1000.NOPE&response_type=code&scope=${SCOPE}&redirect_uri=${encodeURIComponent(app.redirectUri)}`);
  assert.equal(unknown.status, 400);
  assert.equal(unknown.location, null);
  assert.match(unknown.html, /Invalid client/);
  for (const uri of ['http://127.0.0.1:5501/redirect.html/', 'http://127.0.0.1:5501/evil', '']) {
    const wrong = await client.get(authUrl({ ...app, redirectUri: uri }, { response_type: 'code', scope: SCOPE }));
    assert.equal(wrong.status, 400);
    assert.equal(wrong.location, null);
    assert.match(wrong.html, /Invalid redirect URI/);
  }
});

test('request errors go back to the redirect URI as Zoho does', async () => {
  const server_ = await newApp(server, 'server');
  const client = new PageClient(server.url);
  const badType = await client.get(authUrl(server_, { response_type: 'id_token', scope: SCOPE, state: 'a' }));
  assert.equal(badType.status, 302);
  assert.equal(badType.location, 'http://127.0.0.1:5501/redirect.html?error=unsupported_response_type&state=a');
  const noScope = await client.get(authUrl(server_, { response_type: 'code' }));
  assert.equal(noScope.location, 'http://127.0.0.1:5501/redirect.html?error=invalid_scope');
  const badScope = await client.get(authUrl(server_, { response_type: 'code', scope: 'not a scope!' }));
  assert.equal(badScope.location, 'http://127.0.0.1:5501/redirect.html?error=invalid_scope');
  const implicitForServer = await client.get(authUrl(server_, { response_type: 'token', scope: SCOPE }));
  assert.equal(implicitForServer.location, 'http://127.0.0.1:5501/redirect.html#error=unauthorized_client');
});

test('sign-in: a wrong password shows the page again with an alert; forged consent posts are refused', async () => {
  const app = await newApp(server, 'server');
  const client = new PageClient(server.url);
  const url = authUrl(app, { response_type: 'code', scope: SCOPE });
  const first = await client.get(url);
  assert.match(first.html, /<label for="email">Email<\/label>/);
  assert.match(first.html, /<label for="password">Password<\/label>/);
  assert.match(first.html, /<button[^>]*type="submit">Sign in<\/button>/);
  const wrong = await client.post(formAction(first.html), { email: app.email, password: 'nope' });
  assert.equal(wrong.status, 401);
  assert.match(wrong.html, /role="alert">The email or password is not correct\./);
  assert.equal(client.cookie, undefined);

  const consent = await signIn(client, url, app.email, app.password);
  const forged = await client.post(formAction(consent.html), { csrf: 'f'.repeat(64), decision: 'accept' });
  assert.equal(forged.status, 403);
  assert.equal(forged.location, null);
  const cookieless = new PageClient(server.url);
  const noSession = await cookieless.post(formAction(consent.html), { csrf: 'x', decision: 'accept' });
  assert.equal(noSession.status, 403);
});

test('a user of another org cannot sign in for this client; a session expires after 12 hours', async () => {
  const app = await newApp(server, 'server');
  const other = await newApp(server, 'server');
  const client = new PageClient(server.url);
  const first = await client.get(authUrl(app, { response_type: 'code', scope: SCOPE }));
  const refused = await client.post(formAction(first.html), { email: other.email, password: other.password });
  assert.equal(refused.status, 401);

  const consent = await signIn(client, authUrl(app, { response_type: 'code', scope: SCOPE }), app.email, app.password);
  assert.equal(consent.status, 200);
  await server.admin('POST', '/_zcrm/clock/advance', { seconds: 12 * 3600 + 1 });
  const later = await client.get(authUrl(app, { response_type: 'code', scope: SCOPE }));
  assert.match(later.html, /<h1>Sign in<\/h1>/);
});

test('signing in again ends the previous session', async () => {
  const app = await newApp(server, 'server');
  const client = new PageClient(server.url);
  const url = authUrl(app, { response_type: 'code', scope: SCOPE });
  await signIn(client, url, app.email, app.password);
  const first = client.cookie;
  const page = await client.get(`${url}&prompt=consent`);
  assert.match(page.html, /Accept/);
  const again = await client.post(formAction((await new PageClient(server.url).get(url)).html), { email: app.email, password: app.password });
  assert.equal(again.status, 303);
  assert.notEqual(client.cookie, first);
  const stale = new PageClient(server.url);
  stale.cookie = first;
  assert.match((await stale.get(url)).html, /<h1>Sign in<\/h1>/);
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createClient, ZcrmApiError, ZcrmAuthError, ZcrmRateLimitError, type ClientOptions } from '../../src/sdk/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { campaignWithContacts, recordingFetch, zohoError } from './helpers.js';

let server: TestServer;
let org: Awaited<ReturnType<TestServer['newOrg']>>;
let campaignId: string;
before(async () => {
  server = await startTestServer();
  org = await server.newOrg();
  campaignId = (await campaignWithContacts(server.url, org.token, 3)).campaignId;
});
after(async () => { await server.close(); });
// Some tests move the server's clock by an hour; each test gets a token that is fresh by then.
let fresh: string;
beforeEach(async () => { fresh = await server.tokenFor(org.orgId, 'ZohoCRM.modules.ALL'); });

const refreshAuth = () => ({ refreshToken: org.refreshToken, clientId: org.clientId, clientSecret: org.clientSecret });
const list = (c: ReturnType<typeof createClient>) => c.relatedRecords('Campaigns', campaignId, 'Contacts').page(1);

test('a refresh token is exchanged once, and renewed before the announced expiry', async () => {
  const rec = recordingFetch();
  let now = Date.now();
  const c = createClient({ apiDomain: server.url, auth: refreshAuth(), fetch: rec.fetch, now: () => now });
  assert.equal((await list(c)).data.length, 3);
  assert.equal((await list(c)).data.length, 3);
  assert.equal(rec.count('POST', '/oauth/v2/token'), 1);
  // An hour later on both clocks: the client renews first, so the server never refuses a token.
  await server.admin('POST', '/_zcrm/clock/advance', { seconds: 3601 });
  now += 3601_000;
  assert.equal((await list(c)).data.length, 3);
  assert.equal(rec.count('POST', '/oauth/v2/token'), 2);
  assert.equal(rec.calls.filter((x) => x.status === 401).length, 0);
});

test('INVALID_TOKEN renews the token once (one refresh for many concurrent calls) and the calls succeed', async () => {
  const rec = recordingFetch();
  const c = createClient({ apiDomain: server.url, auth: refreshAuth(), fetch: rec.fetch });
  await list(c);
  // Only the server's clock moves: the client still believes its token is fresh.
  await server.admin('POST', '/_zcrm/clock/advance', { seconds: 3601 });
  const pages = await Promise.all(Array.from({ length: 5 }, () => list(c)));
  assert.deepEqual(pages.map((p) => p.data.length), [3, 3, 3, 3, 3]);
  assert.equal(rec.count('POST', '/oauth/v2/token'), 2);
  assert.equal(rec.calls.filter((x) => x.status === 401).length, 5);
});

test('a given access token that the server refuses is a typed INVALID_TOKEN error', async () => {
  const c = createClient({ apiDomain: server.url, auth: { accessToken: '1000.00000000000000000000000000000000.00000000000000000000000000000000' } });
  await assert.rejects(list(c), (e: unknown) => {
    assert.ok(e instanceof ZcrmApiError);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'INVALID_TOKEN');
    assert.equal(e.zohoMessage, 'invalid oauth token');
    return true;
  });
});

test('a token provider is asked again with forceRefresh after INVALID_TOKEN', async () => {
  const asks: boolean[] = [];
  const c = createClient({
    apiDomain: server.url,
    auth: { tokenProvider: async ({ forceRefresh }) => { asks.push(forceRefresh); return asks.length === 1 ? 'stale-token' : fresh; } },
  });
  assert.equal((await list(c)).data.length, 3);
  assert.deepEqual(asks, [false, true]);
});

test('a refused refresh token is a ZcrmAuthError carrying the accounts server error', async () => {
  const c = createClient({ apiDomain: server.url, auth: { ...refreshAuth(), refreshToken: '1000.bad.bad' } });
  await assert.rejects(list(c), (e: unknown) => e instanceof ZcrmAuthError && e.code === 'invalid_code');
});

test('the api_domain of the token answer wins over the configured one', async () => {
  const rec = recordingFetch();
  const c = createClient({ apiDomain: 'http://127.0.0.1:9', accountsUrl: server.url, auth: refreshAuth(), fetch: rec.fetch });
  assert.equal((await list(c)).data.length, 3);
  assert.equal(c.apiDomain, server.url);
});

/** Answers the first `times` API calls with `make()`, then lets calls through. */
function faults(times: number, make: () => Response) {
  let left = times;
  return recordingFetch((req) => (req.url.pathname.startsWith('/crm/') && left-- > 0 ? make() : undefined));
}

function quickClient(f: typeof fetch, delays: number[], extra: Partial<ClientOptions> = {}) {
  return createClient({
    apiDomain: server.url, auth: { accessToken: fresh }, fetch: f, retry: { baseDelayMs: 100, maxDelayMs: 5000 },
    sleep: async (ms) => { delays.push(ms); }, ...extra,
  });
}

test('429 and 5xx are retried with growing, jittered backoff', async () => {
  const delays: number[] = [];
  const rec = faults(3, () => zohoError(429, 'TOO_MANY_REQUESTS', 'You have exceeded the number of API calls allowed'));
  assert.equal((await list(quickClient(rec.fetch, delays))).data.length, 3);
  assert.deepEqual(rec.calls.map((x) => x.status), [429, 429, 429, 200]);
  assert.equal(delays.length, 3);
  delays.forEach((d, i) => assert.ok(d >= 50 * 2 ** i && d <= 100 * 2 ** i, `delay ${i} = ${d}`));

  const rec5 = faults(2, () => new Response('<html>bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
  const related = quickClient(rec5.fetch, []).relatedRecords('Campaigns', campaignId, 'Contacts');
  const report = await related.delink(['9223372036854775807']);
  assert.deepEqual(rec5.calls.map((x) => x.status), [502, 502, 400]);
  assert.equal(report.results[0].message, 'the related id given seems to be invalid');
});

test('Retry-After is respected', async () => {
  const delays: number[] = [];
  const rec = faults(1, () => zohoError(429, 'TOO_MANY_REQUESTS', 'You have exceeded the number of API calls allowed', { 'retry-after': '3' }));
  await list(quickClient(rec.fetch, delays));
  assert.deepEqual(delays, [3000]);
});

test('429 with no credits left is not retried: it is a ZcrmRateLimitError at once', async () => {
  const delays: number[] = [];
  const rec = faults(5, () => zohoError(429, 'TOO_MANY_REQUESTS', 'You have exceeded the number of API calls allowed', { 'x-api-credits-remaining': '0' }));
  await assert.rejects(list(quickClient(rec.fetch, delays)), (e: unknown) => {
    assert.ok(e instanceof ZcrmRateLimitError);
    assert.equal(e.code, 'TOO_MANY_REQUESTS');
    assert.equal(e.creditsRemaining, 0);
    return true;
  });
  assert.equal(rec.calls.length, 1);
  assert.deepEqual(delays, []);
});

test('retries stop after the configured count; a failed insert (POST) is not repeated on 5xx', async () => {
  const rec = faults(10, () => zohoError(503, 'INTERNAL_ERROR', 'Internal Server Error'));
  const c = quickClient(rec.fetch, [], { retry: { retries: 2, baseDelayMs: 1 } });
  await assert.rejects(list(c), (e: unknown) => e instanceof ZcrmApiError && e.status === 503);
  assert.equal(rec.calls.length, 3);
  const recPost = faults(10, () => zohoError(500, 'INTERNAL_ERROR', 'Internal Server Error'));
  const report = await quickClient(recPost.fetch, []).records('Leads').insert([{ Last_Name: 'Once' }]);
  assert.equal(recPost.calls.length, 1);
  assert.deepEqual(report.results, [{ id: undefined, status: 'error', code: 'INTERNAL_ERROR', message: 'Internal Server Error', details: {} }]);
});

test('the credits header is exposed', async () => {
  const rec = recordingFetch((req) => (req.url.pathname.startsWith('/crm/')
    ? new Response(null, { status: 204, headers: { 'x-api-credits-remaining': '4321' } }) : undefined));
  const c = quickClient(rec.fetch, []);
  await list(c);
  assert.equal(c.creditsRemaining, 4321);
});

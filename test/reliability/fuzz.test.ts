/**
 * Hostile input, property-based (fast-check): random methods, paths, headers, ids, query strings
 * and bodies (oversized ones too) never get a 5xx and always get Zoho's envelope; and a relation
 * is listed if and only if it is linked, against a model, over random link/delink sequences.
 * ZCRM_FUZZ_RUNS scales the number of runs; ZCRM_FUZZ_SEED changes them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

const RUNS = Number(process.env.ZCRM_FUZZ_RUNS ?? 400);
const SEED = Number(process.env.ZCRM_FUZZ_SEED ?? 6);
const BODY_LIMIT = 64 * 1024;
let server: TestServer;
let token: string;
let campaign: string;
let contacts: string[];
let lead: string;

before(async () => {
  server = await startTestServer({ bodyLimit: BODY_LIMIT });
  const org = await server.newOrg();
  token = org.token;
  campaign = (await api(server.url, token, 'POST', '/crm/v2/Campaigns', { data: [{ Campaign_Name: 'Fuzz' }] })).body.data[0].details.id;
  contacts = (await api(server.url, token, 'POST', '/crm/v2/Contacts', { data: Array.from({ length: 6 }, (_, i) => ({ Last_Name: `K${i}` })) }))
    .body.data.map((d: { details: { id: string } }) => d.details.id);
  lead = (await api(server.url, token, 'POST', '/crm/v2/Leads', { data: [{ Last_Name: 'L' }] })).body.data[0].details.id;
});
after(async () => { await server.close(); });

const inject = (o: InjectOptions) => server.app.inject(o);

// ---- arbitraries ---------------------------------------------------------------------------
const idArb = () => fc.oneof(
  fc.constantFrom(campaign, lead, ...contacts, '0', '-1', '1e5', '9223372036854775807', '9223372036854775808', '00000000000000000001'),
  fc.bigInt({ min: 0n, max: 10n ** 21n }).map(String),
  fc.string({ maxLength: 24 }).map(encodeURIComponent),
  fc.constantFrom('%00', '%ZZ', '%', '..', '%2e%2e', 'null', 'undefined', '[]', '{}', ' ', '%20', '\u00e9'),
);
const moduleArb = fc.oneof(
  fc.constantFrom('Campaigns', 'contacts', 'Leads', 'Products', 'Price_Books', 'PriceBooks', 'Notes', 'Deals', 'Accounts', 'Potentials',
    'settings', 'users', 'org', 'Documents', 'Home', 'Widgets', 'upsert', '%41ccounts'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const listArb = fc.oneof(
  fc.constantFrom('Contacts', 'Leads', 'Notes', 'Price_Books', 'Campaigns', 'Products', 'Deals', 'modules', 'fields', 'related_lists', 'search', 'Attachments'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const segmentArb = () => fc.oneof({ weight: 3, arbitrary: moduleArb }, { weight: 3, arbitrary: idArb() }, { weight: 2, arbitrary: listArb },
  { weight: 1, arbitrary: fc.constant('x'.repeat(3000)) }, { weight: 1, arbitrary: fc.constant('') });
const prefixArb = fc.constantFrom('/crm/v2', '/crm/v2', '/crm/v2.1', '/crm/v3', '/crm/v8', '/crm/v9', '/crm/V2', '/crm', '/crm/v2/', '/oauth/v2/token', '/oauth/v2/token/revoke', '/oauth/v2/auth', '/', '/favicon.ico');
const randomPathArb = () => fc.tuple(prefixArb, fc.array(segmentArb(), { maxLength: 5 })).map(([p, s]) => (s.length ? `${p.replace(/\/$/, '')}/${s.join('/')}` : p));
/** Paths shaped like the API's, so that many calls get past routing into the handlers. */
const apiPathArb = () => fc.tuple(
  fc.constantFrom('/crm/v2', '/crm/v2.1', '/crm/v3'), fc.constantFrom('Campaigns', 'Contacts', 'Products', 'Leads', 'Price_Books'),
  fc.option(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(campaign, lead, ...contacts) }, { weight: 1, arbitrary: idArb() }), { nil: undefined }),
  fc.option(listArb, { nil: undefined }), fc.option(idArb(), { nil: undefined }),
).map(([v, m, id, list, rel]) => [v, m, id, id !== undefined ? list : undefined, id !== undefined && list !== undefined ? rel : undefined].filter((x) => x !== undefined).join('/'));
const pathArb = () => fc.oneof(randomPathArb(), apiPathArb());
const queryArb = () => fc.array(fc.tuple(
  fc.oneof(fc.constantFrom('ids', 'page', 'per_page', 'fields', 'sort_by', 'sort_order', 'module', 'type', 'ids[]', 'token', 'grant_type'), fc.string({ maxLength: 8 })),
  fc.oneof(
    fc.array(idArb(), { maxLength: 6 }).map((ids) => ids.join(',')),
    fc.constantFrom('1', '0', '-5', '200', '201', '99999999999', 'asc', 'desc', 'id', 'Created_Time', 'Campaigns', 'CurrentUser', 'refresh_token', ''),
    fc.constant(Array.from({ length: 150 }, (_, i) => String(1000 + i)).join(',')),
    fc.string({ maxLength: 20 }),
  ),
), { maxLength: 4 }).map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));
const authArb = () => fc.oneof(
  fc.constant(`Zoho-oauthtoken ${token}`), fc.constant(`zoho-oauthtoken ${token}`), fc.constant(undefined), fc.constant(`Bearer ${token}`),
  fc.constant('Zoho-oauthtoken '), fc.string({ maxLength: 40 }).map((s) => `Zoho-oauthtoken ${s}`), fc.constant(`Zoho-oauthtoken ${'a'.repeat(6000)}`),
);
const bodyArb = () => fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.record({ data: fc.array(fc.record({ id: idArb(), list_price: fc.oneof(fc.double(), fc.string(), fc.constant(null)), Member_Status: fc.oneof(fc.constantFrom('Sent', 'Invited', 'Nope'), fc.integer()) }, { requiredKeys: [] }), { maxLength: 5 }) }).map((b) => JSON.stringify(b)),
  fc.record({ data: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }) }).map((b) => { try { return JSON.stringify(b); } catch { return '{}'; } }),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  fc.constantFrom('{"data":[{"id":3652397000000925128}]}', '{"data":', 'null', '[]', '{"data":{}}', '{"data":[]}', `{"data":[${'{},'.repeat(150)}{}]}`),
  fc.constant('x'.repeat(BODY_LIMIT + 1000)),
);
const contentTypeArb = fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/json; charset=latin1', '*/*', 'garbage');
const methodArb = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');

// ---- the envelope check ------------------------------------------------------------------
function assertZohoShape(status: number, path: string, payload: string, method: string, contentType: string): void {
  assert.ok(status < 500, `no 5xx: ${status} ${payload.slice(0, 200)}`);
  if (payload === '' || method === 'HEAD') return;
  // The accounts server's sign-in and consent pages are HTML, for browsers.
  if (path.startsWith('/oauth/v2/auth') && contentType.startsWith('text/html')) return;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    assert.fail(`not JSON (${status}): ${payload.slice(0, 200)}`);
  }
  assert.ok(typeof body === 'object' && body !== null && !Array.isArray(body), 'a JSON object');
  const b = body as Record<string, unknown>;
  if (path.startsWith('/oauth/') && (typeof b.error === 'string' || typeof b.access_token === 'string')) return;
  if (status < 400) return;
  if (Array.isArray(b.data)) {
    for (const item of b.data) assert.deepEqual(Object.keys(item as object).sort(), ['code', 'details', 'message', 'status']);
    return;
  }
  assert.deepEqual(Object.keys(b).sort(), ['code', 'details', 'message', 'status'], `Zoho's envelope: ${payload.slice(0, 200)}`);
  assert.equal(b.status, 'error');
  assert.equal(typeof b.code, 'string');
  assert.equal(typeof b.message, 'string');
  assert.ok(typeof b.details === 'object' && b.details !== null && !Array.isArray(b.details));
}

test(`random requests (${RUNS} runs) never get a 5xx and always get Zoho's envelope`, async (t) => {
  const statuses = new Map<number, number>();
  await fc.assert(fc.asyncProperty(methodArb, pathArb(), queryArb(), authArb(), contentTypeArb, bodyArb(),
    fc.dictionary(fc.constantFrom('x-external', 'if-modified-since', 'origin', 'x-zcrm-admin-key', 'accept', 'x-forwarded-for'), fc.string({ maxLength: 30 }), { maxKeys: 2 }),
    async (method, path, query, authorization, contentType, body, extra) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(extra)) if (/^[\x20-\x7e]*$/.test(v)) headers[k] = v;
      if (authorization !== undefined) headers.authorization = authorization;
      if (contentType !== undefined) headers['content-type'] = contentType;
      const sendsBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
      const res = await inject({ method: method as 'GET', url: path + query, headers, payload: sendsBody ? (body as string | Buffer) : undefined });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      assertZohoShape(res.statusCode, path, res.payload, method, String(res.headers['content-type'] ?? ''));
    }), { numRuns: RUNS, seed: SEED });
  t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);
  assert.ok((statuses.get(200) ?? 0) + (statuses.get(204) ?? 0) + (statuses.get(207) ?? 0) > 0, 'some requests got through');
});

// ---- the model: a relation is listed if and only if it is linked ----------------------------
type Real = { campaign: string };
/** The model test's own org: the random requests above may have changed or deleted the first org's records. */
const own = { token: '', contacts: [] as string[], lead: '' };
type Model = { linked: Set<string> };

const status = (results: { status: string }[]) => {
  const ok = results.filter((r) => r.status === 'success').length;
  return ok === results.length ? 200 : ok === 0 ? 400 : 207;
};

async function checkListed(m: Model, r: Real): Promise<void> {
  const res = await inject({ method: 'GET', url: `/crm/v2/Campaigns/${r.campaign}/Contacts?per_page=200`, headers: { authorization: `Zoho-oauthtoken ${own.token}` } });
  const listed = res.statusCode === 204 ? [] : (res.json().data as { id: string }[]).map((x) => x.id);
  assert.deepEqual([...listed].sort(), [...m.linked].sort(), 'listed from the campaign iff linked');
  for (const k of own.contacts) {
    const one = await inject({ method: 'GET', url: `/crm/v2/Contacts/${k}/Campaigns/${r.campaign}`, headers: { authorization: `Zoho-oauthtoken ${own.token}` } });
    assert.equal(one.statusCode, m.linked.has(k) ? 200 : 204, `contact ${k} lists the campaign iff linked: ${one.payload}`);
  }
}

class Link implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ids: string[], readonly single: boolean) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const url = this.single ? `/crm/v2/Campaigns/${r.campaign}/Contacts/${this.ids[0]}` : `/crm/v2/Campaigns/${r.campaign}/Contacts`;
    const data = this.single ? [{ Member_Status: 'Sent' }] : this.ids.map((id) => ({ id, Member_Status: 'Invited' }));
    const res = await inject({ method: 'PUT', url, headers: { authorization: `Zoho-oauthtoken ${own.token}` }, payload: JSON.stringify({ data }) });
    const expected = this.ids.map((id) => (own.contacts.includes(id)
      ? { code: 'SUCCESS', details: { id }, message: 'relation updated', status: 'success' }
      : { code: 'INVALID_DATA', details: { id }, message: 'the related id given seems to be invalid', status: 'error' }));
    assert.deepEqual(res.json(), { data: expected });
    assert.equal(res.statusCode, status(expected));
    for (const id of this.ids) if (own.contacts.includes(id)) m.linked.add(id);
    await checkListed(m, r);
  }
  toString = () => `link${this.single ? '1' : ''}(${this.ids.map((i) => i.slice(-3))})`;
}

class Delink implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ids: string[], readonly single: boolean) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const url = this.single ? `/crm/v2/Campaigns/${r.campaign}/Contacts/${this.ids[0]}` : `/crm/v2/Campaigns/${r.campaign}/Contacts?ids=${this.ids.join(',')}`;
    const res = await inject({ method: 'DELETE', url, headers: { authorization: `Zoho-oauthtoken ${own.token}` } });
    // In order; a repeated id finds its relation already gone (SPEC §4.1).
    const expected = this.ids.map((id) => {
      if (m.linked.delete(id)) return { code: 'SUCCESS', details: { id }, message: 'relation removed', status: 'success' };
      const message = own.contacts.includes(id) ? 'relation not found' : 'the related id given seems to be invalid';
      return { code: 'INVALID_DATA', details: { id }, message, status: 'error' };
    });
    assert.deepEqual(res.json(), { data: expected });
    assert.equal(res.statusCode, status(expected));
    await checkListed(m, r);
  }
  toString = () => `delink${this.single ? '1' : ''}(${this.ids.map((i) => i.slice(-3))})`;
}

test(`a relation is listed if and only if it is linked (model-based, ${Math.ceil(RUNS / 8)} runs)`, async () => {
  const org = await server.newOrg();
  own.token = org.token;
  own.contacts = (await api(server.url, own.token, 'POST', '/crm/v2/Contacts', { data: Array.from({ length: 6 }, (_, i) => ({ Last_Name: `M${i}` })) }))
    .body.data.map((d: { details: { id: string } }) => d.details.id);
  own.lead = (await api(server.url, own.token, 'POST', '/crm/v2/Leads', { data: [{ Last_Name: 'L' }] })).body.data[0].details.id;
  const someId = () => fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...own.contacts) }, { weight: 1, arbitrary: fc.constantFrom(own.lead, '4000000000000000001') });
  const commands = [
    fc.array(someId(), { minLength: 1, maxLength: 6 }).map((ids) => new Link(ids, false)),
    someId().map((id) => new Link([id], true)),
    fc.array(someId(), { minLength: 1, maxLength: 8 }).map((ids) => new Delink(ids, false)),
    someId().map((id) => new Delink([id], true)),
  ];
  await fc.assert(fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (cmds) => {
    const made = await inject({ method: 'POST', url: '/crm/v2/Campaigns', headers: { authorization: `Zoho-oauthtoken ${own.token}` }, payload: JSON.stringify({ data: [{ Campaign_Name: 'M' }] }) });
    const real = { campaign: made.json().data[0].details.id as string };
    await fc.asyncModelRun(() => ({ model: { linked: new Set<string>() }, real }), cmds);
  }), { numRuns: Math.ceil(RUNS / 8), seed: SEED + 1 });
});

/**
 * Client mistakes and quirks of real clients (issue 2, "Robustness"): every mistake answers in
 * Zoho's envelope with the right status, quirks are accepted, concurrent delinks of one relation
 * succeed exactly once, and a batch that fails inside leaves nothing half-done.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { assertError, newCrm, notFound, ok, useCrmServer } from '../helpers/crm.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rawRequest, rawSocket } from '../helpers/raw.js';

const t = useCrmServer({ bodyLimit: 64 * 1024 });

const auth = () => ({ authorization: `Zoho-oauthtoken ${t.crm.token}` });
const URL_PATTERN = ['INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'] as const;

async function linkedCampaign(count: number): Promise<{ campaign: string; leads: string[] }> {
  const campaign = await t.crm.one('Campaigns');
  const leads = await t.crm.insert('Leads', count);
  await t.crm.link('Campaigns', campaign, 'Leads', leads.map((id) => ({ id })));
  return { campaign, leads };
}

describe('quirks of real clients are accepted', () => {
  test('a JSON body without a Content-Type (as Zoho\'s SDKs send it)', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [lead] = await t.crm.insert('Leads', 1);
    const res = await rawRequest(t.server.url, 'PUT', `/crm/v2/Campaigns/${campaign}/Leads`, JSON.stringify({ data: [{ id: lead, Member_Status: 'Sent' }] }), auth());
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [ok(lead, 'relation updated')] } });
    const insert = await rawRequest(t.server.url, 'POST', '/crm/v2/Leads', '{"data":[{"Last_Name":"No type"}]}', auth());
    assert.equal(insert.status, 201, insert.text);
  });

  test('a DELETE with a text/plain body "null" (as the seed\'s browser sample sends it)', async () => {
    const { campaign, leads } = await linkedCampaign(2);
    const res = await rawRequest(t.server.url, 'DELETE', `/crm/v2/Campaigns/${campaign}/Leads?ids=${leads.join(',')}`, 'null', { ...auth(), 'content-type': 'text/plain;charset=UTF-8' });
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: leads.map((id) => ok(id)) } });
  });

  test('a trailing "&", an encoded comma, a trailing comma and repeated ids parameters', async () => {
    const { campaign, leads } = await linkedCampaign(6);
    for (const [query, ids] of [
      [`ids=${leads[0]},${leads[1]}&`, [leads[0], leads[1]]],
      [`ids=${leads[2]}%2C${leads[3]}`, [leads[2], leads[3]]],
      [`ids=${leads[4]},`, [leads[4]]],
      [`ids=${leads[5]}&ids=${leads[0]}`, [leads[5], leads[0]]],
    ] as [string, string[]][]) {
      const res = await t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}/Leads?${query}`);
      assert.deepEqual(res.body, { data: ids.map((id) => (id === leads[0] && query.startsWith(`ids=${leads[5]}`) ? notFound(id) : ok(id))) }, query);
    }
  });

  test('a trailing slash on the path', async () => {
    const { campaign, leads } = await linkedCampaign(1);
    const res = await t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}/Leads/${leads[0]}/`);
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [ok(leads[0])] } });
  });

  test('HEAD and CORS preflight', async () => {
    const head = await rawRequest(t.server.url, 'HEAD', '/crm/v2/Leads', undefined, auth());
    assert.equal(head.status, 200);
    const pre = await rawRequest(t.server.url, 'OPTIONS', '/crm/v2/Campaigns/1/Leads?ids=1', undefined, {
      origin: 'http://localhost:5501', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization',
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], 'http://localhost:5501');
    assert.equal(pre.headers['access-control-allow-credentials'], 'true');
    assert.match(String(pre.headers['access-control-allow-methods']), /DELETE/);
  });
});

describe('client mistakes answer in Zoho\'s envelope', () => {
  test('a body that is not JSON → 400 UNABLE_TO_PARSE_DATA_TYPE', async () => {
    const campaign = await t.crm.one('Campaigns');
    for (const body of ['hello', '{"data":[{"id":"1"}]', '\u0000\u0001', "{'data':[]}"]) {
      for (const [method, path] of [['PUT', `/crm/v2/Campaigns/${campaign}/Leads`], ['POST', '/crm/v2/Leads'], ['PUT', '/crm/v2/Leads']]) {
        const res = await rawRequest(t.server.url, method, path, body, { ...auth(), 'content-type': 'application/json' });
        assert.deepEqual({ status: res.status, body: res.body }, {
          status: 400, body: { code: 'UNABLE_TO_PARSE_DATA_TYPE', details: {}, message: 'either the request body or parameters is in wrong format', status: 'error' },
        }, `${method} ${path} ${body}`);
      }
    }
  });

  test('JSON that is not {"data":[…]} → 400 INVALID_DATA or MANDATORY_NOT_FOUND', async () => {
    const campaign = await t.crm.one('Campaigns');
    const path = `/crm/v2/Campaigns/${campaign}/Leads`;
    for (const body of ['[]', 'null', '"data"', '{"data":{}}', '{"data":"x"}']) {
      assertError(await t.crm.call('PUT', path, body), 400, 'INVALID_DATA', 'the request body is not valid');
    }
    for (const body of ['', '{}', '{"data":[]}']) {
      assertError(await t.crm.call('PUT', path, body), 400, 'MANDATORY_NOT_FOUND', 'One of the expected parameter is missing', { param_name: 'data' });
    }
  });

  test('a body above the limit → 413 REQUEST_ENTITY_TOO_LARGE, whatever its type or framing', async () => {
    const campaign = await t.crm.one('Campaigns');
    const huge = `{"data":[{"id":"1","pad":"${'x'.repeat(70 * 1024)}"}]}`;
    const expected = { status: 413, body: { code: 'REQUEST_ENTITY_TOO_LARGE', details: { maximum_length: 65536 }, message: 'the request body is too large', status: 'error' } };
    const framings: Record<string, string>[] = [{ 'content-type': 'application/json' }, {}, { 'transfer-encoding': 'chunked' }, { 'content-type': 'multipart/form-data; boundary=x' }];
    for (const headers of framings) {
      const res = await rawRequest(t.server.url, 'PUT', `/crm/v2/Campaigns/${campaign}/Leads`, huge, { ...auth(), ...headers });
      assert.deepEqual({ status: res.status, body: res.body }, expected, JSON.stringify(headers));
    }
    const post = await rawRequest(t.server.url, 'POST', '/crm/v2/Leads', huge, auth());
    assert.deepEqual({ status: post.status, body: post.body }, expected);
    // The t.server is still serving.
    assert.equal((await t.crm.call('GET', `/crm/v2/Campaigns/${campaign}`)).status, 200);
  });

  test('unknown, deep and doubled-slash paths → 404 INVALID_URL_PATTERN', async () => {
    for (const path of [
      '/', '/crm', '/crm/', '/crm/v2', '/crm/v2/', '/crm/v1/Leads', '/crm/V2/Leads', '/crm/v2x/Leads', '/api/v2/Leads',
      '/crm/v2//Leads', '/crm//v2/Leads', '//crm/v2/Leads', '/crm/v2/Leads//1', '/crm/v2/Campaigns/1//Leads', '/crm/v2/Campaigns/1/Leads//',
      '/crm/v2/Campaigns/1/Leads/2/3', '/crm/v2/a/b/c/d/e/f/g/h', '/crm/v2/settings', '/crm/v2/settings/nothing', '/crm/v2/Leads/upsert',
      '/crm/v2/Leads/search', '/favicon.ico', '/oauth/v2/nothing',
    ]) {
      const res = await rawRequest(t.server.url, 'GET', path, undefined, auth());
      assert.deepEqual({ status: res.status, body: res.body }, { status: 404, body: { code: URL_PATTERN[0], details: {}, message: URL_PATTERN[1], status: 'error' } }, path);
    }
  });

  test('a path that is not valid percent-encoding → 404 INVALID_URL_PATTERN', async () => {
    for (const path of ['/crm/v2/%E0%A4%A/1/Leads', '/crm/v2/Leads/%ZZ', '/crm/v2/%/1/Leads', '/crm/v2/Campaigns/1/%C0%AF?ids=1']) {
      const res = await rawRequest(t.server.url, 'DELETE', path, undefined, auth());
      assert.deepEqual({ status: res.status, body: res.body }, { status: 404, body: { code: URL_PATTERN[0], details: {}, message: URL_PATTERN[1], status: 'error' } }, path);
    }
  });

  test('percent-encoded module and related-list names are read decoded', async () => {
    const campaign = await t.crm.one('Campaigns');
    const [a] = await t.crm.insert('Contacts', 1);
    await t.crm.link('Campaigns', campaign, 'Contacts', [{ id: a }]);
    const res = await rawRequest(t.server.url, 'DELETE', `/crm/v2/%43ampaigns/${campaign}/Con%74acts/${a}`, undefined, auth());
    assert.deepEqual({ status: res.status, body: res.body }, { status: 200, body: { data: [{ code: 'SUCCESS', details: { id: a }, message: 'relation removed', status: 'success' }] } });
  });

  test('a request that is not HTTP → 400 in Zoho\'s envelope, and the t.server keeps serving', async () => {
    const answer = await rawSocket(t.server.url, 'DELETE /crm/v2/Leads HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    assert.deepEqual(JSON.parse(body), { code: 'UNABLE_TO_PARSE_DATA_TYPE', details: {}, message: 'either the request body or parameters is in wrong format', status: 'error' });
    assert.equal((await t.crm.call('GET', '/crm/v2/Leads?per_page=1')).status, 200);
  });

  test('bad paging parameters → 400 INVALID_DATA naming the parameter', async () => {
    const campaign = await t.crm.one('Campaigns');
    for (const path of ['/crm/v2/Leads', `/crm/v2/Campaigns/${campaign}/Leads`]) {
      for (const [name, value] of [['page', '0'], ['page', 'abc'], ['per_page', '-1'], ['per_page', '1.5'], ['page', '99999999999']]) {
        assertError(await t.crm.call('GET', `${path}?${name}=${value}`), 400, 'INVALID_DATA', 'the given parameter is invalid', { param_name: name, expected_data_type: 'integer' });
      }
    }
  });
});

describe('concurrency and atomicity', () => {
  // Failures are injected with SQLite triggers, so these run on a SQLite t.server of their own.
  let sqlite: TestServer;
  let local: Awaited<ReturnType<typeof newCrm>>;
  before(async () => {
    sqlite = await startTestServer({ db: ':memory:' });
    local = await newCrm(sqlite);
  });
  after(async () => { await sqlite.close(); });
  const dbOf = () => (sqlite.ctx.store as unknown as { db: Database.Database }).db;
  async function linkedLocal(count: number): Promise<{ campaign: string; leads: string[] }> {
    const campaign = await local.one('Campaigns');
    const leads = await local.insert('Leads', count);
    await local.link('Campaigns', campaign, 'Leads', leads.map((id) => ({ id })));
    return { campaign, leads };
  }

  test('20 parallel delinks of the same relation: exactly one SUCCESS, the others "relation not found"', async () => {
    const { campaign, leads } = await linkedCampaign(1);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      t.crm.call('DELETE', i % 2 === 0 ? `/crm/v2/Campaigns/${campaign}/Leads/${leads[0]}` : `/crm/v2/Leads/${leads[0]}/Campaigns?ids=${campaign}`)));
    const wins = answers.filter((a) => a.status === 200);
    assert.equal(wins.length, 1);
    for (const a of answers) {
      if (a.status === 200) continue;
      assert.equal(a.status, 400);
      assert.equal(a.body.data[0].message, 'relation not found');
    }
    assert.deepEqual(await t.crm.related('Campaigns', campaign, 'Leads'), []);
  });

  test('parallel bulk delinks over overlapping ids: each relation removed exactly once', async () => {
    const { campaign, leads } = await linkedCampaign(10);
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.crm.call('DELETE', `/crm/v2/Campaigns/${campaign}/Leads?ids=${leads.join(',')}`)));
    const successes = answers.flatMap((a) => a.body.data).filter((item: { status: string }) => item.status === 'success');
    assert.deepEqual(successes.map((s: { details: { id: string } }) => s.details.id).sort(), [...leads].sort());
  });

  test('a delink batch that fails inside leaves nothing half-done, and answers 500 INTERNAL_ERROR', async () => {
    const { campaign, leads } = await linkedLocal(3);
    const db = dbOf();
    // A store failure on the second id, inside the batch's transaction (a delink marks its relation gone).
    db.exec(`CREATE TRIGGER fail_delink BEFORE UPDATE OF gone ON relations WHEN OLD.right_id = ${leads[1]} AND NEW.gone = 1
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    try {
      const res = await local.call('DELETE', `/crm/v2/Campaigns/${campaign}/Leads?ids=${leads.join(',')}`);
      assertError(res, 500, 'INTERNAL_ERROR', 'Internal Server Error');
    } finally {
      db.exec('DROP TRIGGER fail_delink');
    }
    assert.deepEqual(await local.related('Campaigns', campaign, 'Leads'), [...leads].sort(), 'the first id was not delinked alone');
  });

  test('a link batch that fails inside leaves nothing half-done', async () => {
    const campaign = await local.one('Campaigns');
    const leads = await local.insert('Leads', 3);
    const db = dbOf();
    db.exec(`CREATE TRIGGER fail_link BEFORE INSERT ON relations WHEN NEW.right_id = ${leads[2]} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    try {
      const res = await local.call('PUT', `/crm/v2/Campaigns/${campaign}/Leads`, { data: leads.map((id) => ({ id })) });
      assertError(res, 500, 'INTERNAL_ERROR', 'Internal Server Error');
    } finally {
      db.exec('DROP TRIGGER fail_link');
    }
    assert.deepEqual(await local.related('Campaigns', campaign, 'Leads'), []);
  });

  test('a record delete that fails inside keeps the record and its relations', async () => {
    const { campaign, leads } = await linkedLocal(2);
    const db = dbOf();
    db.exec(`CREATE TRIGGER fail_cascade BEFORE DELETE ON relations WHEN OLD.right_id = ${leads[1]} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    try {
      assertError(await local.call('DELETE', `/crm/v2/Leads?ids=${leads.join(',')}`), 500, 'INTERNAL_ERROR', 'Internal Server Error');
    } finally {
      db.exec('DROP TRIGGER fail_cascade');
    }
    assert.equal((await local.call('GET', `/crm/v2/Leads/${leads[0]}`)).status, 200);
    assert.deepEqual(await local.related('Campaigns', campaign, 'Leads'), [...leads].sort());
  });
});

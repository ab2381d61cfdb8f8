import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, ZcrmApiError, ZcrmUsageError } from '../../src/sdk/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { campaignWithContacts, linkedIds, recordingFetch } from './helpers.js';

let server: TestServer;
let token: string;
before(async () => {
  server = await startTestServer();
  token = (await server.newOrg()).token;
});
after(async () => { await server.close(); });

const client = (f: typeof fetch) => createClient({ apiDomain: server.url, auth: { accessToken: token }, fetch: f });

test('delink of 250 ids sends three requests and returns one report in input order', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 250);
  const rec = recordingFetch();
  // Input order differs from creation order, and mixes strings with BigInt.
  const input = [...contactIds].reverse().map((id, i) => (i % 2 === 0 ? id : BigInt(id)));
  const seen: number[] = [];
  const report = await client(rec.fetch).relatedRecords('Campaigns', campaignId, 'Contacts').delink(input, { onProgress: (done) => seen.push(done) });
  assert.equal(rec.count('DELETE', `/Campaigns/${campaignId}/Contacts`), 3);
  const sizes = rec.calls.map((c) => c.url.searchParams.get('ids')!.split(',').length).sort((a, b) => a - b);
  assert.deepEqual(sizes, [50, 100, 100]);
  assert.equal(report.results.length, 250);
  assert.deepEqual(report.results.map((r) => r.id), [...contactIds].reverse());
  assert.deepEqual(report.results[0], {
    id: contactIds[249], status: 'success', code: 'SUCCESS', message: 'relation removed', details: { id: contactIds[249] },
  });
  assert.equal(report.removed, 250);
  assert.equal(report.failed, 0);
  assert.equal(seen.at(-1), 250);
  assert.deepEqual(await linkedIds(server.url, token, `Campaigns/${campaignId}/Contacts`), []);
});

test('every failure is kept in place: not linked, unknown id, malformed id, repeated id', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 3);
  const rec = recordingFetch();
  const report = await client(rec.fetch).relatedRecords('Campaigns', campaignId, 'Contacts')
    .delink([contactIds[0], '9223372036854775807', 'abc', contactIds[1], contactIds[0]]);
  assert.deepEqual(report.results, [
    { id: contactIds[0], status: 'success', code: 'SUCCESS', message: 'relation removed', details: { id: contactIds[0] } },
    { id: '9223372036854775807', status: 'error', code: 'INVALID_DATA', message: 'the related id given seems to be invalid', details: { id: '9223372036854775807' } },
    { id: 'abc', status: 'error', code: 'INVALID_ID', message: 'not a Zoho record id (1 to 19 digits); not sent', details: { id: 'abc' } },
    { id: contactIds[1], status: 'success', code: 'SUCCESS', message: 'relation removed', details: { id: contactIds[1] } },
    { id: contactIds[0], status: 'error', code: 'INVALID_DATA', message: 'relation not found', details: { id: contactIds[0] } },
  ]);
  assert.equal(report.removed, 2);
  assert.equal(report.failed, 3);
  // The malformed id was never sent.
  assert.equal(rec.calls[0].url.searchParams.get('ids'), `${contactIds[0]},9223372036854775807,${contactIds[1]},${contactIds[0]}`);
  assert.deepEqual(await linkedIds(server.url, token, `Campaigns/${campaignId}/Contacts`), [contactIds[2]]);
});

test('19-digit ids stay exact: BigInt in, strings out', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 2);
  assert.match(contactIds[0], /^[0-9]{19}$/);
  const rec = recordingFetch();
  const related = client(rec.fetch).relatedRecords('Campaigns', BigInt(campaignId), 'Contacts');
  const one = await related.delinkOne(BigInt(contactIds[0]));
  assert.deepEqual(one, { id: contactIds[0], status: 'success', code: 'SUCCESS', message: 'relation removed', details: { id: contactIds[0] } });
  assert.equal(rec.calls[0].url.pathname, `/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`);
  const listed = [];
  for await (const r of related.list()) listed.push(r.id);
  assert.deepEqual(listed, [contactIds[1]]);
  assert.equal(typeof listed[0], 'string');
});

test('a JavaScript number above 2^53 is refused before any request', async () => {
  const { campaignId } = await campaignWithContacts(server.url, token, 1);
  const rec = recordingFetch();
  const c = client(rec.fetch);
  const related = c.relatedRecords('Campaigns', campaignId, 'Contacts');
  // eslint-disable-next-line no-loss-of-precision
  const unsafe = 3652397000000925128;
  await assert.rejects(related.delink(['3652397000000925128', unsafe]), (e: unknown) => {
    assert.ok(e instanceof ZcrmUsageError);
    assert.match((e as Error).message, /above 2\^53/);
    assert.match((e as Error).message, /strings or BigInt/);
    return true;
  });
  assert.throws(() => c.relatedRecords('Campaigns', unsafe, 'Contacts'), ZcrmUsageError);
  await assert.rejects(related.link([{ id: unsafe }]), ZcrmUsageError);
  await assert.rejects(c.records('Contacts').insert([{ Last_Name: 'x', Account_Name: { id: unsafe } }]), ZcrmUsageError);
  await assert.rejects(related.delinkOne(unsafe), ZcrmUsageError);
  assert.equal(rec.calls.length, 0);
  // A safe number is fine (and exact).
  const report = await related.delink([12345]);
  assert.equal(report.results[0].id, '12345');
});

test('link takes any number of items in chunks of 100, list() walks every page', async () => {
  const { campaignId } = await campaignWithContacts(server.url, token, 0);
  const { contactIds } = await campaignWithContacts(server.url, token, 230);
  const rec = recordingFetch();
  const related = client(rec.fetch).relatedRecords('Campaigns', campaignId, 'Contacts');
  const linked = await related.link(contactIds.map((id, i) => (i === 0 ? { id, Member_Status: 'Sent' } : id)));
  assert.equal(rec.count('PUT', `/Campaigns/${campaignId}/Contacts`), 3);
  assert.equal(linked.succeeded, 230);
  assert.deepEqual(linked.results.map((r) => r.id), contactIds);
  assert.equal(linked.results[5].message, 'relation updated');
  const listed: string[] = [];
  for await (const r of related.list({ perPage: 100 })) listed.push(r.id);
  assert.equal(rec.count('GET', `/Campaigns/${campaignId}/Contacts`), 3);
  assert.deepEqual([...listed].sort(), [...contactIds].sort());
  const page = await related.page(3, { perPage: 100 });
  assert.deepEqual(page.info, { per_page: 100, count: 30, page: 3, more_records: false });
});

test('request-level errors are typed and land on every id of the request', async () => {
  const c = client(fetch);
  await assert.rejects(c.relatedRecords('Campaigns', '1', 'Contacts').delinkOne('2'), (e: unknown) => {
    assert.ok(e instanceof ZcrmApiError);
    assert.equal(e.status, 400);
    assert.equal(e.code, 'INVALID_DATA');
    assert.equal(e.zohoMessage, 'the id given seems to be invalid');
    assert.deepEqual(e.details, { resource_path_index: 1 });
    return true;
  });
  const report = await c.relatedRecords('Nonsense', '1', 'Contacts').delink(['11', '12']);
  assert.deepEqual(report.results.map((r) => [r.id, r.code, r.message]), [
    ['11', 'INVALID_MODULE', 'The module name given seems to be invalid'],
    ['12', 'INVALID_MODULE', 'The module name given seems to be invalid'],
  ]);
  assert.equal(report.failed, 2);
});

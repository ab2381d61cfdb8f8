import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, dataCentre, accountsUrlFor, ZcrmUsageError } from '../../src/sdk/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { recordingFetch } from './helpers.js';

let server: TestServer;
let token: string;
before(async () => {
  server = await startTestServer();
  token = (await server.newOrg()).token;
});
after(async () => { await server.close(); });

test('records: insert in chunks, get, list every page, update, delete', async () => {
  const rec = recordingFetch();
  const leads = createClient({ apiDomain: server.url, auth: { accessToken: token }, fetch: rec.fetch }).records('Leads');
  const inserted = await leads.insert(Array.from({ length: 120 }, (_, i) => ({ Last_Name: `Lead ${i}`, Company: 'Zylker' })));
  assert.equal(rec.count('POST', '/crm/v2/Leads'), 2);
  assert.equal(inserted.succeeded, 120);
  const ids = inserted.results.map((r) => r.id!);
  ids.forEach((id) => assert.match(id, /^[0-9]{19}$/));
  assert.equal(inserted.results[0].message, 'record added');

  const one = await leads.get(BigInt(ids[7]));
  assert.equal(one?.id, ids[7]);
  assert.equal(one?.Last_Name, 'Lead 7');
  assert.equal(await leads.get('1'), undefined);

  const all: string[] = [];
  for await (const r of leads.list({ perPage: 50 })) all.push(r.id);
  assert.deepEqual([...all].sort(), [...ids].sort());

  const updated = await leads.update([{ id: ids[0], Last_Name: 'Renamed' }]);
  assert.deepEqual(updated.results.map((r) => [r.id, r.status, r.message]), [[ids[0], 'success', 'record updated']]);
  assert.equal((await leads.get(ids[0]))?.Last_Name, 'Renamed');

  const deleted = await leads.delete(ids);
  assert.equal(deleted.succeeded, 120);
  assert.equal(rec.count('DELETE', '/crm/v2/Leads'), 2);
  assert.equal(deleted.results[119].id, ids[119]);
  assert.equal(await leads.get(ids[0]), undefined);
});

test('data centres map to Zoho hosts', () => {
  assert.deepEqual(dataCentre('com'), { accountsUrl: 'https://accounts.zoho.com', apiDomain: 'https://www.zohoapis.com' });
  assert.deepEqual(dataCentre('eu'), { accountsUrl: 'https://accounts.zoho.eu', apiDomain: 'https://www.zohoapis.eu' });
  assert.deepEqual(dataCentre('in'), { accountsUrl: 'https://accounts.zoho.in', apiDomain: 'https://www.zohoapis.in' });
  assert.deepEqual(dataCentre('com.au'), { accountsUrl: 'https://accounts.zoho.com.au', apiDomain: 'https://www.zohoapis.com.au' });
  assert.deepEqual(dataCentre('jp'), { accountsUrl: 'https://accounts.zoho.jp', apiDomain: 'https://www.zohoapis.jp' });
  assert.deepEqual(dataCentre('ca'), { accountsUrl: 'https://accounts.zohocloud.ca', apiDomain: 'https://www.zohoapis.ca' });
  assert.deepEqual(dataCentre('sa'), { accountsUrl: 'https://accounts.zoho.sa', apiDomain: 'https://www.zohoapis.sa' });
  assert.deepEqual(dataCentre('com.cn'), { accountsUrl: 'https://accounts.zoho.com.cn', apiDomain: 'https://www.zohoapis.com.cn' });
  assert.throws(() => dataCentre('mars'), ZcrmUsageError);
  assert.equal(accountsUrlFor('https://www.zohoapis.eu'), 'https://accounts.zoho.eu');
  assert.equal(accountsUrlFor('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080');
  const c = createClient({ dataCenter: 'jp', auth: { accessToken: 'x' } });
  assert.equal(c.apiDomain, 'https://www.zohoapis.jp');
});

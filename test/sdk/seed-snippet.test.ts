// The founding document's ES6 snippets, run as written in Node through the package's
// `zcrm-local/sdk` entry point (the built JavaScript, as a user gets it after `npm ci`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ParameterMap, ZCRM, createClient } from 'zcrm-local/sdk';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { delinkRecord, delinkRecords } from './fixtures/seed-delink.js';
import { campaignWithContacts, linkedIds } from './helpers.js';

let server: TestServer;
let org: Awaited<ReturnType<TestServer['newOrg']>>;
before(async () => {
  server = await startTestServer();
  org = await server.newOrg();
});
after(async () => { await server.close(); });

test('the package entry point resolves to built JavaScript with the names the seed uses', async () => {
  assert.match(import.meta.resolve('zcrm-local/sdk'), /\/dist\/sdk\/index\.js$/);
  assert.equal(typeof ZCRM.initialize, 'function');
  assert.equal(typeof ZCRM.RelatedRecord.Operations, 'function');
  assert.equal(typeof ParameterMap, 'function');
  assert.equal(typeof createClient, 'function');
});

test('seed snippet 1 (delinkRecords with a ParameterMap) removes the relations; access-token initialisation', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, org.token, 3);
  const ids = [contactIds[0], BigInt(contactIds[1])];
  const response = await delinkRecords({ apiDomain: server.url, accessToken: org.token }, 'Campaigns', campaignId, 'Contacts', ids);
  assert.equal(response.getStatusCode(), 200);
  const object = response.getObject();
  assert.ok(object instanceof ZCRM.RelatedRecord.Model.ActionWrapper);
  const data = object.getData();
  assert.equal(data.length, 2);
  data.forEach((item, i) => {
    assert.ok(item instanceof ZCRM.RelatedRecord.Model.SuccessResponse);
    assert.equal(item.getCode().getValue(), 'SUCCESS');
    assert.equal(item.getStatus().getValue(), 'success');
    assert.equal(item.getMessage().getValue(), 'relation removed');
    assert.deepEqual([...item.getDetails()], [['id', contactIds[i]]]);
  });
  assert.deepEqual(await linkedIds(server.url, org.token, `Campaigns/${campaignId}/Contacts`), [contactIds[2]]);
});

test('seed snippet 2 (delinkRecord) removes one relation; refresh-token initialisation, BigInt ids', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, org.token, 2);
  const init = { apiDomain: server.url, accountsUrl: server.url, clientId: org.clientId, clientSecret: org.clientSecret, refreshToken: org.refreshToken };
  const response = await delinkRecord(init, 'Campaigns', BigInt(campaignId), 'Contacts', BigInt(contactIds[1]));
  assert.equal(response.getStatusCode(), 200);
  const [item] = (response.getObject() as InstanceType<typeof ZCRM.RelatedRecord.Model.ActionWrapper>).getData();
  assert.ok(item instanceof ZCRM.RelatedRecord.Model.SuccessResponse);
  assert.equal(item.getDetails().get('id'), contactIds[1]);
  assert.deepEqual(await linkedIds(server.url, org.token, `Campaigns/${campaignId}/Contacts`), [contactIds[0]]);
});

test('the snippet reports per-id failures as APIException items (207) and request errors as one APIException', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, org.token, 1);
  const init = { apiDomain: server.url, accessToken: org.token };
  const mixed = await delinkRecords(init, 'Campaigns', campaignId, 'Contacts', [contactIds[0], contactIds[0]]);
  assert.equal(mixed.getStatusCode(), 207);
  const [, second] = (mixed.getObject() as InstanceType<typeof ZCRM.RelatedRecord.Model.ActionWrapper>).getData();
  assert.ok(second instanceof ZCRM.RelatedRecord.Model.APIException);
  assert.equal(second.getCode().getValue(), 'INVALID_DATA');
  assert.equal(second.getStatus().getValue(), 'error');
  assert.equal(second.getMessage().getValue(), 'relation not found');
  assert.equal(second.getDetails().get('id'), contactIds[0]);

  const refused = await delinkRecord({ apiDomain: server.url, accessToken: '1000.not.valid' }, 'Campaigns', campaignId, 'Contacts', contactIds[0]);
  assert.equal(refused.getStatusCode(), 401);
  const err = refused.getObject();
  assert.ok(err instanceof ZCRM.RelatedRecord.Model.APIException);
  assert.equal(err.getCode().getValue(), 'INVALID_TOKEN');
  assert.equal(err.getMessage().getValue(), 'invalid oauth token');
});

test('the façade links and lists too (updateRelatedRecords, getRelatedRecords, Record.Operations)', async () => {
  const { campaignId } = await campaignWithContacts(server.url, org.token, 0);
  const { contactIds } = await campaignWithContacts(server.url, org.token, 3);
  await ZCRM.initialize({ apiDomain: server.url, accessToken: org.token });
  const ops = new ZCRM.RelatedRecord.Operations('Contacts', campaignId, 'Campaigns');
  const body = new ZCRM.RelatedRecord.Model.BodyWrapper();
  body.setData(contactIds.map((id) => {
    const r = new ZCRM.Record.Model.Record();
    r.setId(BigInt(id));
    r.addKeyValue('Member_Status', 'Sent');
    return r;
  }));
  const linked = await ops.updateRelatedRecords(body);
  assert.equal(linked.getStatusCode(), 200);
  const items = (linked.getObject() as InstanceType<typeof ZCRM.RelatedRecord.Model.ActionWrapper>).getData();
  assert.deepEqual(items.map((i) => i.getMessage().getValue()), ['relation updated', 'relation updated', 'relation updated']);

  const params = new ParameterMap();
  await params.add(ZCRM.RelatedRecord.Model.GetRelatedRecordsParam.PAGE, 1);
  await params.add(ZCRM.RelatedRecord.Model.GetRelatedRecordsParam.PER_PAGE, 2);
  const listed = await ops.getRelatedRecords(params);
  const wrapper = listed.getObject();
  assert.ok(wrapper instanceof ZCRM.RelatedRecord.Model.ResponseWrapper);
  assert.equal(wrapper.getData().length, 2);
  assert.equal(wrapper.getInfo()?.getMoreRecords(), true);
  assert.ok(contactIds.includes(wrapper.getData()[0].getId()!));
  assert.equal(wrapper.getData()[0].getKeyValue('Member_Status'), 'Sent');

  const got = await new ZCRM.Record.Operations().getRecord(BigInt(contactIds[0]), 'Contacts');
  assert.equal((got.getObject() as InstanceType<typeof ZCRM.RelatedRecord.Model.ResponseWrapper>).getData()[0].getId(), contactIds[0]);
  const one = await api(server.url, org.token, 'GET', `/crm/v2/Campaigns/${campaignId}/Contacts/${contactIds[0]}`);
  assert.equal(one.status, 200);
});

test('an unsafe number id is refused by the façade before any request', async () => {
  await ZCRM.initialize({ apiDomain: 'http://127.0.0.1:9', accessToken: 'x' });
  const params = new ParameterMap();
  // eslint-disable-next-line no-loss-of-precision
  await assert.rejects(params.add(ZCRM.RelatedRecord.Model.DelinkRecordsParam.IDS, 3652397000000925128 as unknown as string), /above 2\^53/);
  // eslint-disable-next-line no-loss-of-precision
  assert.throws(() => new ZCRM.RelatedRecord.Operations('Contacts', 3652397000000327001, 'Campaigns'), /above 2\^53/);
});

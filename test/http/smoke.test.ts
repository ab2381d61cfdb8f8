import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => { server = await startTestServer({ demo: true }); });
after(async () => { await server.close(); });

test('the seed sample request delinks both contacts from the demo campaign', async () => {
  const token = server.demoAccessToken!;
  const res = await api(server.url, token, 'DELETE', '/crm/v2/Campaigns/3652397000000327001/Contacts?ids=3652397000000925128,3652397000000649013');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, {
    data: [
      { code: 'SUCCESS', details: { id: '3652397000000925128' }, message: 'relation removed', status: 'success' },
      { code: 'SUCCESS', details: { id: '3652397000000649013' }, message: 'relation removed', status: 'success' },
    ],
  });
  const list = await api(server.url, token, 'GET', '/crm/v2/Campaigns/3652397000000327001/Contacts');
  assert.equal(list.status, 204);
});

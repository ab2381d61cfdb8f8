/**
 * One keep-alive connection carrying calls with different tokens, as a pooled client or a proxy
 * does: each call is answered as its own token's caller, however the server remembers tokens it
 * has seen on the connection.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

before(async () => {
  server = await startTestServer();
});
after(async () => {
  agent.destroy();
  await server.close();
});

/** GET on the one pooled connection: status, body, and whether the connection was reused. */
function get(path: string, authorization: string): Promise<{ status: number; body: any; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { agent, headers: { authorization } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('calls with different tokens on one connection are each answered as their own caller', async () => {
  const a = await server.newOrg();
  const b = await server.newOrg();
  const me = (token: string) => get('/crm/v2/users?type=CurrentUser', `Zoho-oauthtoken ${token}`);
  const calls = [a, b, a, a, b];
  for (const [i, org] of calls.entries()) {
    const res = await me(org.token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.users[0].id, org.userId, `call ${i}`);
    if (i > 0) assert.equal(res.reused, true, `call ${i} reused the connection`);
  }
  const unknown = await me(`${a.token.slice(0, -4)}0000`);
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body.code, 'INVALID_TOKEN');
  assert.equal(unknown.reused, true);
  // The scheme is case-insensitive; the same token in another spelling is the same caller.
  const lower = await get('/crm/v2/users?type=CurrentUser', `zoho-oauthtoken ${b.token}`);
  assert.equal(lower.status, 200);
  assert.equal(lower.body.users[0].id, b.userId);
  assert.equal((await me(a.token)).body.users[0].id, a.userId);
});

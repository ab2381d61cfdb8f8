/**
 * Two server processes on one PostgreSQL database behave as one server: every call alternates
 * between them, and concurrent delinks of one relation spread over both remove it exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';
import { spawnServer, type ServerProcess } from '../helpers/processes.js';
import { campaignAndContacts, cluster, scenarios, type Cluster } from '../helpers/scenarios.js';
import { api } from '../helpers/server.js';

describe('two instances on one PostgreSQL database', () => {
  let db: TestDatabase;
  let servers: ServerProcess[] = [];
  let c: Cluster;
  before(async () => {
    db = await createTestDatabase();
    // Started together: both apply migrations to the empty database at once.
    servers = await Promise.all([spawnServer(db.url), spawnServer(db.url)]);
    c = cluster(servers.map((s) => s.url));
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  test('20 concurrent delinks of one relation, spread over both instances: exactly one success', async () => {
    const { token } = await c.newOrg();
    const { campaign, contacts: [p1, p2] } = await campaignAndContacts(c, token, 2);
    const linked = await c.call(token, 'PUT', `/crm/v2/Campaigns/${campaign}/Contacts`, { data: [{ id: p1 }, { id: p2 }] });
    assert.equal(linked.status, 200);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      api(servers[i % 2].url, token, 'DELETE', `/crm/v2/Campaigns/${campaign}/Contacts/${p1}`)));
    const ok = answers.filter((a) => a.status === 200);
    assert.equal(ok.length, 1);
    assert.deepEqual(ok[0].body, { data: [{ code: 'SUCCESS', details: { id: p1 }, message: 'relation removed', status: 'success' }] });
    for (const a of answers.filter((x) => x.status !== 200)) {
      assert.equal(a.status, 400);
      assert.deepEqual(a.body, { data: [{ code: 'INVALID_DATA', details: { id: p1 }, message: 'relation not found', status: 'error' }] });
    }
    const left = await c.call(token, 'GET', `/crm/v2/Campaigns/${campaign}/Contacts`);
    assert.deepEqual(left.body.data.map((r: any) => r.id), [p2]);
  });

  test('orgs created on both instances at once get distinct ids and id ranges', async () => {
    const orgs = await Promise.all(Array.from({ length: 10 }, () => c.newOrg()));
    assert.equal(new Set(orgs.map((o) => o.orgId)).size, 10);
    const { token } = orgs[0];
    const made = await Promise.all(Array.from({ length: 10 }, () => c.call(token, 'POST', '/crm/v2/Leads', { data: [{ Last_Name: 'L' }, { Last_Name: 'M' }] })));
    const ids = made.flatMap((m) => m.body.data.map((d: any) => d.details.id));
    assert.equal(new Set(ids).size, 20);
  });

  for (const [name, run] of Object.entries(scenarios)) test(name, () => run(c));
});

/** HTTP behaviour on a PostgreSQL-backed server (every run; the full HTTP suite runs there with ZCRM_TEST_STORE=postgres). */
import { after, before, describe, test } from 'node:test';
import { cluster, scenarios } from '../helpers/scenarios.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('HTTP on PostgreSQL', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ pg: true }); });
  after(async () => { await server.close(); });
  for (const [name, run] of Object.entries(scenarios)) test(name, () => run(cluster([server.url])));
});

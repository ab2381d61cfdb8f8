/**
 * The seed's INTERNAL_ERROR row (HTTP 500, "Internal Server Error"), provoked honestly: the store is
 * closed under a running server, so every store call fails as an unexpected error would. The answer
 * is Zoho's envelope, and the failure is logged once with the request id — without the token.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertError, Crm } from '../helpers/crm.js';
import { startTestServer } from '../helpers/server.js';

test('a failing store answers 500 INTERNAL_ERROR and logs the error with its request id', async () => {
  const lines: string[] = [];
  const server = await startTestServer({ logLevel: 'error', logStream: { write: (line: string) => { lines.push(line); } } });
  try {
    const org = await server.newOrg();
    const crm = new Crm(server, org.token);
    const campaign = await crm.one('Campaigns');
    const [lead] = await crm.insert('Leads', 1);
    await crm.link('Campaigns', campaign, 'Leads', [{ id: lead }]);
    assert.deepEqual(lines, [], 'nothing logged while all is well');

    await server.ctx.store.close();
    for (const [method, path] of [
      ['DELETE', `/crm/v2/Campaigns/${campaign}/Leads?ids=${lead}`],
      ['DELETE', `/crm/v2/Campaigns/${campaign}/Leads/${lead}`],
      ['GET', `/crm/v2/Leads/${lead}`],
    ]) {
      assertError(await crm.call(method, path), 500, 'INTERNAL_ERROR', 'Internal Server Error');
    }
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; reqId?: string; url?: string; err?: { message?: string } });
    assert.equal(logged.length, 3);
    const ids = new Set<string>();
    for (const entry of logged) {
      assert.equal(entry.level, 50);
      assert.equal(entry.msg, 'internal error');
      assert.equal(typeof entry.reqId, 'string');
      ids.add(entry.reqId!);
      assert.ok((entry.err?.message ?? '') !== '', 'the error itself is logged');
      assert.ok(!entry.url?.includes('?'), 'the query string is not logged');
    }
    assert.equal(ids.size, 3, 'one request id per request');
    assert.ok(!lines.join('\n').includes(org.token), 'the token is never logged');
  } finally {
    await server.close();
  }
});

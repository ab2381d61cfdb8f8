// The checkpoint worker: a file database keeps every acknowledged write across close and reopen,
// its WAL is folded back into the database file, and close() stops the worker (no hang).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { RelationTarget } from '../../src/store/store.js';

test('writes survive close and reopen with the checkpoint worker running', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'zcrm-ckpt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'c.db');
  let store = new SqliteStore(file);
  const org = await store.createOrg({ name: 'c', now: 1 });
  const ids = await store.allocateIds(org.id, 201);
  const [campaign, ...contacts] = ids;
  const rec = (id: string, module: string) => ({ id, module, ownerId: '1', createdBy: '1', modifiedBy: '1', createdAt: 1, modifiedAt: 1, parentId: null, data: {} });
  await store.insertRecords(org.id, [rec(campaign, 'Campaigns'), ...contacts.map((c) => rec(c, 'Contacts'))]);
  const target: RelationTarget = { relation: 'campaign_contacts', side: 'left', parentId: campaign, relatedModule: 'Contacts' };
  for (let round = 0; round < 20; round++) {
    assert.deepEqual(await store.linkRelated(org.id, target, contacts.slice(0, 100).map((id) => ({ id, data: {} })), 2), Array(100).fill('linked'));
    assert.deepEqual(await store.delinkRelated(org.id, target, contacts.slice(0, 100)), Array(100).fill('removed'));
  }
  await store.linkRelated(org.id, target, contacts.slice(100).map((id) => ({ id, data: {} })), 3);
  await store.close();
  // A clean close folds the WAL into the database and removes it.
  assert.throws(() => statSync(`${file}-wal`), { code: 'ENOENT' });
  store = new SqliteStore(file);
  const linked = (await store.listRelated(org.id, target, 0, 200)).map((r) => r.record.id).sort();
  assert.deepEqual(linked, contacts.slice(100).sort());
  await store.close();
});

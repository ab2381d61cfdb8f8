// Group commit: concurrent callers share one transaction, yet each gets its own outcome, a failing
// caller changes nothing and fails no one else, and nobody is told success before the commit.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../src/store/sqlite/group-commit.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { RelationTarget } from '../../src/store/store.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'zcrm-group-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function tableDb(file = ':memory:'): Database.Database {
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY)');
  return db;
}
const keys = (db: Database.Database) => db.prepare('SELECT k FROM t ORDER BY k').pluck().all();

test('callers queued in one turn share one transaction and each gets its own value', async () => {
  const db = tableDb();
  const group = new GroupCommit(db);
  const ins = db.prepare('INSERT INTO t (k) VALUES (?)');
  const values = await Promise.all([1, 2, 3].map((k) => group.run(() => { ins.run(k); return `caller ${k}`; })));
  assert.deepEqual(values, ['caller 1', 'caller 2', 'caller 3']);
  assert.equal(group.batches, 1);
  assert.deepEqual(keys(db), [1, 2, 3]);
  db.close();
});

test("an error inside one caller's work rolls back only that caller's changes", async () => {
  const db = tableDb();
  const group = new GroupCommit(db);
  const ins = db.prepare('INSERT INTO t (k) VALUES (?)');
  const results = await Promise.allSettled([
    group.run(() => { ins.run(1); return 'a'; }),
    group.run(() => { ins.run(2); ins.run(3); throw new Error('caller b failed half-way'); }),
    group.run(() => { ins.run(4); return 'c'; }),
    group.run(() => { ins.run(1); return 'd'; }), // duplicate key: a constraint error of its own
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected']);
  assert.equal((results[1] as PromiseRejectedResult).reason.message, 'caller b failed half-way');
  assert.equal((results[3] as PromiseRejectedResult).reason.code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
  assert.deepEqual(keys(db), [1, 4]);
  assert.equal(group.batches, 1);
  db.close();
});

test('single-statement work runs without a savepoint, and its failure is still its own', async () => {
  const db = tableDb();
  const group = new GroupCommit(db);
  const ins = db.prepare('INSERT INTO t (k) VALUES (?)');
  const results = await Promise.allSettled([
    group.run(() => { ins.run(10); return 'a'; }, true),
    group.run(() => { ins.run(10); return 'b'; }, true), // duplicate key: undone by SQLite alone
    group.run(() => { ins.run(11); ins.run(12); throw new Error('multi-statement work failed'); }),
    group.run(() => { ins.run(13); return 'd'; }, true),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
  assert.equal((results[1] as PromiseRejectedResult).reason.code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
  assert.deepEqual(keys(db), [10, 13]);
  assert.equal(group.batches, 1);
  db.close();
});

test('when the shared transaction cannot commit, every caller is refused and nothing is applied', async () => {
  const file = join(dir, 'busy.db');
  const db = tableDb(file);
  db.pragma('busy_timeout = 0');
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  const group = new GroupCommit(db);
  const ins = db.prepare('INSERT INTO t (k) VALUES (?)');
  const results = await Promise.allSettled([1, 2].map((k) => group.run(() => ins.run(k))));
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal((results[0] as PromiseRejectedResult).reason.code, 'SQLITE_BUSY');
  other.exec('ROLLBACK');
  assert.deepEqual(keys(other), []);
  other.close();
  db.close();
});

test('an acknowledged write is already visible to another connection', async () => {
  const file = join(dir, 'ack.db');
  const db = tableDb(file);
  const group = new GroupCommit(db);
  const ins = db.prepare('INSERT INTO t (k) VALUES (?)');
  const reader = new Database(file, { readonly: true });
  await Promise.all([7, 8].map((k) => group.run(() => ins.run(k)).then(() => {
    assert.deepEqual(reader.prepare('SELECT k FROM t WHERE k = ?').pluck().all(k), [k]);
  })));
  reader.close();
  db.close();
});

async function storeWithRelations(): Promise<{ store: SqliteStore; orgId: string; target: RelationTarget; contacts: string[] }> {
  const store = new SqliteStore(':memory:');
  const org = await store.createOrg({ name: 'g', now: 1 });
  const ids = await store.allocateIds(org.id, 5);
  const [campaign, ...contacts] = ids;
  const rec = (id: string, module: string) => ({ id, module, ownerId: '1', createdBy: '1', modifiedBy: '1', createdAt: 1, modifiedAt: 1, parentId: null, data: {} });
  await store.insertRecords(org.id, [rec(campaign, 'Campaigns'), ...contacts.map((c) => rec(c, 'Contacts'))]);
  const target: RelationTarget = { relation: 'campaign_contacts', side: 'left', parentId: campaign, relatedModule: 'Contacts' };
  await store.linkRelated(org.id, target, contacts.map((id) => ({ id, data: {} })), 1);
  return { store, orgId: org.id, target, contacts };
}

test('concurrent delinks of the same relation: exactly one removes it', async () => {
  const { store, orgId, target, contacts } = await storeWithRelations();
  const before = store.group.batches;
  const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.delinkRelated(orgId, target, [contacts[0]])));
  assert.equal(store.group.batches, before + 1);
  assert.deepEqual(outcomes.flat().sort(), ['not_linked', 'not_linked', 'not_linked', 'not_linked', 'not_linked', 'not_linked', 'not_linked', 'removed']);
  await store.close();
});

test('mixed batches: each caller gets the outcomes of its own ids, in order', async () => {
  const { store, orgId, target, contacts } = await storeWithRelations();
  const [a, b, c, d] = contacts;
  const [first, second, link, third] = await Promise.all([
    store.delinkRelated(orgId, target, [a, b]),
    store.delinkRelated(orgId, target, [b, c, '1000000000000000001']),
    store.linkRelated(orgId, target, [{ id: a, data: {} }, { id: '1000000000000000002', data: {} }], 2),
    store.delinkRelated(orgId, target, [d, a]),
  ]);
  assert.deepEqual(first, ['removed', 'removed']);
  assert.deepEqual(second, ['not_linked', 'removed', 'invalid_id']);
  assert.deepEqual(link, ['linked', 'invalid_id']);
  assert.deepEqual(third, ['removed', 'removed']);
  assert.deepEqual(await store.listRelated(orgId, target, 0, 10), []);
  await store.close();
});

test("a caller whose work fails half-way neither fails nor half-applies the others'", async () => {
  const { store, orgId, target, contacts } = await storeWithRelations();
  const [a, b, c] = contacts;
  await store.delinkRelated(orgId, target, [a, b, c]);
  const results = await Promise.allSettled([
    store.linkRelated(orgId, target, [{ id: a, data: {} }], 3),
    // The second item cannot even be bound as an id: this caller fails after linking b.
    store.linkRelated(orgId, target, [{ id: b, data: {} }, { id: 'not-an-id', data: {} }], 3),
    store.delinkRelated(orgId, target, [contacts[3]]),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual((results[0] as PromiseFulfilledResult<string[]>).value, ['linked']);
  assert.deepEqual((results[2] as PromiseFulfilledResult<string[]>).value, ['removed']);
  const linked = (await store.listRelated(orgId, target, 0, 10)).map((r) => r.record.id).sort();
  assert.deepEqual(linked, [a]);
  await store.close();
});

test('over HTTP, concurrent delinks of one relation answer SUCCESS exactly once', async (t) => {
  const server: TestServer = await startTestServer();
  t.after(() => server.close());
  const org = await server.newOrg();
  const made = await api(server.url, org.token, 'POST', '/crm/v2/Campaigns', { data: [{ Campaign_Name: 'C' }] });
  const campaign = made.body.data[0].details.id as string;
  const contact = (await api(server.url, org.token, 'POST', '/crm/v2/Contacts', { data: [{ Last_Name: 'K' }] })).body.data[0].details.id as string;
  const linked = await api(server.url, org.token, 'PUT', `/crm/v2/Campaigns/${campaign}/Contacts/${contact}`);
  assert.equal(linked.status, 200);
  const answers = await Promise.all(Array.from({ length: 10 }, () =>
    api(server.url, org.token, 'DELETE', `/crm/v2/Campaigns/${campaign}/Contacts?ids=${contact}`)));
  const ok = answers.filter((r) => r.status === 200);
  assert.equal(ok.length, 1);
  assert.deepEqual(ok[0].body, { data: [{ code: 'SUCCESS', details: { id: contact }, message: 'relation removed', status: 'success' }] });
  for (const r of answers.filter((x) => x.status !== 200)) {
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { data: [{ code: 'INVALID_DATA', details: { id: contact }, message: 'relation not found', status: 'error' }] });
  }
});

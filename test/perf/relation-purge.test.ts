// SQLite keeps relations by related record in relations_rev, maintained lazily: a delink marks the
// relation row gone and queues its reverse entry; reads check candidates against live relations; the
// purge drops queued entries whose relation is still gone, and the rows still marked gone.
// Migration 5 builds the table from relations; migration 6 adds the mark.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { RelationTarget, StoredRecord } from '../../src/store/store.js';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'zcrm-purge-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const NOW = 1_700_000_000_000;
const record = (id: string, module: string): StoredRecord => ({
  id, module, ownerId: '1', createdBy: '1', modifiedBy: '1', createdAt: NOW, modifiedAt: NOW, parentId: null, data: { Last_Name: id },
});
const CAMPAIGNS = ['100', '101'];
const CONTACTS = ['200', '201', '202'];
const fromCampaign = (id: string): RelationTarget => ({ relation: 'campaign_contacts', side: 'left', parentId: id, relatedModule: 'Contacts' });
const fromContact = (id: string): RelationTarget => ({ relation: 'campaign_contacts', side: 'right', parentId: id, relatedModule: 'Campaigns' });

async function seeded(file: string) {
  const store = new SqliteStore(file);
  const org = await store.createOrg({ name: 'Purge', now: NOW });
  await store.insertRecords(org.id, [...CAMPAIGNS.map((id) => record(id, 'Campaigns')), ...CONTACTS.map((id) => record(id, 'Contacts'))]);
  for (const c of CAMPAIGNS) await store.linkRelated(org.id, fromCampaign(c), CONTACTS.map((id) => ({ id, data: {} })), NOW);
  return { store, orgId: org.id };
}

const campaignsOf = async (store: SqliteStore, orgId: string, contact: string) =>
  (await store.listRelated(orgId, fromContact(contact), 0, 100)).map((r) => r.record.id).sort();

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return Number(db.prepare(sql).pluck().get());
  } finally {
    db.close();
  }
}

/** A database file at schema version `version` (org 7: campaign 100 linked to contacts 200 and 201). */
function oldDatabase(file: string, version: number): void {
  const db = new Database(file);
  db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  for (const m of MIGRATIONS.slice(0, version)) db.exec(m);
  db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(String(version));
  db.prepare("INSERT INTO orgs (id, prefix, name, next_seq, created_at) VALUES ('7', 7, 'Old', 1, 0)").run();
  const ins = db.prepare("INSERT INTO records (org_id, id, module, owner_id, created_by, modified_by, created_at, modified_at, data) VALUES ('7', ?, ?, 1, 1, 1, 0, 0, '{}')");
  ins.run(100, 'Campaigns');
  ins.run(200, 'Contacts');
  ins.run(201, 'Contacts');
  const rel = db.prepare("INSERT INTO relations (org_id, relation, left_id, right_id, created_at) VALUES ('7', 'campaign_contacts', 100, ?, 0)");
  rel.run(200);
  rel.run(201);
  db.close();
}

test('a delink queues its reverse entry; reads from the other side never see it; the purge drops it', async () => {
  const file = join(dir, 'purge.db');
  const { store, orgId } = await seeded(file);
  assert.deepEqual(await campaignsOf(store, orgId, '200'), ['100', '101']);
  assert.deepEqual(await store.delinkRelated(orgId, fromCampaign('100'), ['200', '201']), ['removed', 'removed']);
  assert.deepEqual(await store.delinkRelated(orgId, fromContact('202'), ['101']), ['removed']);
  assert.deepEqual(await campaignsOf(store, orgId, '200'), ['101']);
  assert.deepEqual(await campaignsOf(store, orgId, '202'), ['100']);
  assert.deepEqual((await store.listRelated(orgId, fromContact('201'), 0, 1)).map((r) => r.record.id), ['101'], 'paging counts live relations only');
  // Linked again before the purge: its reverse entry is kept.
  assert.deepEqual(await store.linkRelated(orgId, fromCampaign('100'), [{ id: '201', data: {} }], NOW), ['linked']);
  await store.close();
  assert.equal(count(file, 'SELECT count(*) FROM relations_purge'), 3, 'the queue is a table: it outlives the process');
  assert.equal(count(file, 'SELECT count(*) FROM relations_rev'), 6, 'reverse entries are still there until the purge');

  const reopened = new SqliteStore(file);
  assert.equal(await reopened.purgeRelations(), 2, 'the two relations still gone lose their reverse entries');
  assert.deepEqual(await campaignsOf(reopened, orgId, '201'), ['100', '101']);
  assert.deepEqual(await campaignsOf(reopened, orgId, '200'), ['101']);
  await reopened.close();
  assert.equal(count(file, 'SELECT count(*) FROM relations_purge'), 0);
  assert.equal(count(file, 'SELECT count(*) FROM relations_rev'), 4);
  assert.equal(count(file, 'SELECT count(*) FROM relations'), 4);
  assert.equal(count(file, `SELECT count(*) FROM relations r WHERE NOT EXISTS (SELECT 1 FROM relations_rev v
    WHERE v.org_id = r.org_id AND v.relation = r.relation AND v.left_id = r.left_id AND v.right_id = r.right_id)`), 0, 'every relation has its reverse entry');
});

test('a delinked relation is marked gone until the purge: no read sees it, and a link back is a new link', async () => {
  const file = join(dir, 'gone.db');
  const { store, orgId } = await seeded(file);
  assert.deepEqual(await store.linkRelated(orgId, fromCampaign('100'), [{ id: '200', data: { Member_Status: 'Sent' } }], NOW), ['linked']);
  assert.deepEqual(await store.delinkRelated(orgId, fromCampaign('100'), ['200']), ['removed']);
  assert.equal(count(file, "SELECT count(*) FROM relations WHERE gone = 1 AND left_id = 100 AND right_id = 200"), 1, 'the row stays, marked');
  assert.deepEqual(await store.delinkRelated(orgId, fromCampaign('100'), ['200', '200']), ['not_linked', 'not_linked'], 'gone is gone');
  assert.deepEqual((await store.listRelated(orgId, fromCampaign('100'), 0, 10)).map((r) => r.record.id).sort(), ['201', '202']);
  assert.deepEqual(await campaignsOf(store, orgId, '200'), ['101']);
  const dumped = await store.exportOrg(orgId);
  assert.deepEqual(dumped?.relations.filter((r) => r.leftId === '100').map((r) => r.rightId), ['201', '202'], 'an export leaves gone relations out');
  // Linked back: the old relation's data and time do not come back with it.
  const later = NOW + 60_000;
  assert.deepEqual(await store.linkRelated(orgId, fromCampaign('100'), [{ id: '200', data: { Member_Status: 'Invited' } }], later), ['linked']);
  const back = (await store.listRelated(orgId, fromCampaign('100'), 0, 10, '200'))[0];
  assert.deepEqual(back.relationData, { Member_Status: 'Invited' });
  assert.equal(count(file, 'SELECT created_at FROM relations WHERE left_id = 100 AND right_id = 200'), later);
  // A link of a live relation still merges its data and keeps its time.
  assert.deepEqual(await store.linkRelated(orgId, fromCampaign('100'), [{ id: '200', data: { Note: 'x' } }], later + 1), ['linked']);
  assert.deepEqual((await store.listRelated(orgId, fromCampaign('100'), 0, 10, '200'))[0].relationData, { Member_Status: 'Invited', Note: 'x' });
  assert.equal(count(file, 'SELECT created_at FROM relations WHERE left_id = 100 AND right_id = 200'), later);
  // Gone for good: the purge deletes the row and its reverse entry.
  assert.deepEqual(await store.delinkRelated(orgId, fromCampaign('101'), ['202']), ['removed']);
  await store.purgeRelations();
  assert.equal(count(file, 'SELECT count(*) FROM relations WHERE gone = 1'), 0);
  assert.equal(count(file, 'SELECT count(*) FROM relations WHERE left_id = 101 AND right_id = 202'), 0);
  assert.equal(count(file, 'SELECT count(*) FROM relations_rev WHERE left_id = 101 AND right_id = 202'), 0);
  assert.equal(count(file, 'SELECT count(*) FROM relations_rev WHERE left_id = 100 AND right_id = 200'), 1, 'the linked-back one keeps its entry');
  await store.close();
});

test('migration 6 keeps the relations of a database made before it, all linked', async () => {
  const file = join(dir, 'v5.db');
  oldDatabase(file, 5);

  const store = new SqliteStore(file);
  assert.deepEqual((await store.listRelated('7', fromCampaign('100'), 0, 10)).map((r) => r.record.id), ['201', '200']);
  assert.deepEqual(await store.delinkRelated('7', fromContact('200'), ['100']), ['removed']);
  assert.deepEqual(await campaignsOf(store, '7', '200'), []);
  assert.deepEqual(await campaignsOf(store, '7', '201'), ['100']);
  await store.close();
  assert.equal(count(file, "SELECT value FROM meta WHERE key = 'schema_version'"), MIGRATIONS.length);
});

test('deleting a record on either side removes its relations, found through either table', async () => {
  const file = join(dir, 'cascade.db');
  const { store, orgId } = await seeded(file);
  assert.deepEqual(await store.deleteRecords(orgId, 'Contacts', ['200']), [true]);
  assert.deepEqual((await store.listRelated(orgId, fromCampaign('100'), 0, 100)).map((r) => r.record.id).sort(), ['201', '202']);
  assert.deepEqual(await store.deleteRecords(orgId, 'Campaigns', ['101']), [true]);
  assert.deepEqual(await campaignsOf(store, orgId, '201'), ['100']);
  await store.purgeRelations();
  await store.close();
  assert.equal(count(file, 'SELECT count(*) FROM relations'), 2);
  assert.equal(count(file, 'SELECT count(*) FROM relations_rev'), 2);
});

test('the purge runs by itself once delinks pause', { timeout: 10_000 }, async () => {
  const file = join(dir, 'idle.db');
  const { store, orgId } = await seeded(file);
  await store.delinkRelated(orgId, fromCampaign('100'), CONTACTS);
  for (let i = 0; i < 60 && count(file, 'SELECT count(*) FROM relations_purge') > 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(count(file, 'SELECT count(*) FROM relations_purge'), 0);
  assert.equal(count(file, 'SELECT count(*) FROM relations_rev'), 3);
  await store.close();
});

test('a store opened on a queue left by an earlier process purges it by itself', { timeout: 10_000 }, async () => {
  const file = join(dir, 'left.db');
  const { store, orgId } = await seeded(file);
  await store.delinkRelated(orgId, fromCampaign('100'), CONTACTS);
  await store.delinkRelated(orgId, fromCampaign('101'), ['200']);
  await store.close();
  assert.equal(count(file, 'SELECT count(*) FROM relations_purge'), 4);
  const reopened = new SqliteStore(file);
  for (let i = 0; i < 60 && count(file, 'SELECT count(*) FROM relations_purge') > 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(count(file, 'SELECT count(*) FROM relations_purge'), 0, 'the backlog found at start is purged once idle');
  assert.equal(count(file, 'SELECT count(*) FROM relations_rev'), 2);
  assert.deepEqual(await campaignsOf(reopened, orgId, '201'), ['101']);
  await reopened.close();
});

test('migration 5 builds relations by related record from an older database', async () => {
  const file = join(dir, 'v4.db');
  oldDatabase(file, 4);

  const store = new SqliteStore(file);
  assert.deepEqual((await store.listRelated('7', fromContact('201'), 0, 10)).map((r) => r.record.id), ['100']);
  assert.deepEqual(await store.delinkRelated('7', fromContact('200'), ['100']), ['removed']);
  assert.deepEqual(await campaignsOf(store, '7', '200'), []);
  await store.close();
  assert.equal(count(file, "SELECT value FROM meta WHERE key = 'schema_version'"), MIGRATIONS.length);
  assert.equal(count(file, "SELECT count(*) FROM sqlite_master WHERE name = 'relations_right'"), 0);
  assert.equal(count(file, 'SELECT count(*) FROM relations_rev'), 2);
});

test('reset and org import empty the reverse table and queue at once, and leave the trigger in place', async () => {
  const file = join(dir, 'reset.db');
  const { store, orgId } = await seeded(file);
  const dumped = await store.exportOrg(orgId);
  assert.ok(dumped);
  await store.delinkRelated(orgId, fromCampaign('100'), ['200']);
  await store.importOrg(dumped);
  assert.deepEqual(await campaignsOf(store, orgId, '200'), ['100', '101'], 'the import brought the relation back');
  await store.delinkRelated(orgId, fromCampaign('101'), ['201']);
  await store.reset();
  assert.equal(await store.isEmpty(), true);
  await store.close();
  for (const table of ['relations', 'relations_rev', 'relations_purge']) assert.equal(count(file, `SELECT count(*) FROM ${table}`), 0, table);
  assert.equal(count(file, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'relations_delinked'"), 1);

  const again = await seeded(file);
  await again.store.delinkRelated(again.orgId, fromCampaign('100'), ['202']);
  await again.store.close();
  assert.equal(count(file, 'SELECT count(*) FROM relations_purge'), 1, 'delinks are queued again');
});

// New SQLite databases use 1 KiB pages; an existing database keeps the page size it was made with.
// The store's connection keeps a 2 MiB page cache (SQLite's own default, not better-sqlite3's 16 MiB)
// and its statement journals in memory.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'zcrm-pages-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

const pageSize = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return Number(db.pragma('page_size', { simple: true }));
  } finally {
    db.close();
  }
};

test('a new database file gets 1 KiB pages, in WAL mode', async () => {
  const file = join(dir, 'new.db');
  const store = new SqliteStore(file);
  const org = await store.createOrg({ name: 'Pages', now: Date.now() });
  assert.ok(org.id);
  await store.close();
  assert.equal(pageSize(file), 1024);
  const db = new Database(file, { readonly: true });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
});

test('an existing database keeps its page size, and its data', async () => {
  const file = join(dir, 'old.db');
  const first = new Database(file);
  first.pragma('page_size = 4096');
  first.exec('CREATE TABLE kept (v TEXT)');
  first.prepare('INSERT INTO kept VALUES (?)').run('still here');
  first.close();
  const store = new SqliteStore(file);
  const org = await store.createOrg({ name: 'Old pages', now: Date.now() });
  assert.ok(org.id);
  await store.close();
  assert.equal(pageSize(file), 4096);
  const db = new Database(file, { readonly: true });
  assert.equal(db.prepare('SELECT v FROM kept').pluck().get(), 'still here');
  db.close();
});

test('the store keeps a 2 MiB page cache and statement journals in memory, whatever the file', async () => {
  for (const file of [join(dir, 'new.db'), join(dir, 'old.db'), ':memory:']) {
    const store = new SqliteStore(file);
    const db = (store as unknown as { db: Database.Database }).db;
    assert.equal(Number(db.pragma('cache_size', { simple: true })), -2000, file);
    // 2 = MEMORY
    assert.equal(Number(db.pragma('temp_store', { simple: true })), 2, file);
    await store.close();
  }
});

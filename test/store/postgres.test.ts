import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import postgres from 'postgres';
import { openStore } from '../../src/store/open-store.js';
import { MIGRATIONS as PG_MIGRATIONS } from '../../src/store/postgres/schema.js';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';
import { runAccountsContract } from './accounts-contract.js';
import { runStoreContract } from './contract.js';

let db: TestDatabase | undefined;
const database = async () => (db ??= await createTestDatabase());

runStoreContract('postgres', {
  open: async () => openStore((await database()).url),
  shared: true,
  cleanup: async () => { await db?.drop(); },
});

let accountsDb: TestDatabase | undefined;
runAccountsContract('postgres', {
  open: async () => openStore((accountsDb ??= await createTestDatabase()).url),
  shared: true,
  cleanup: async () => { await accountsDb?.drop(); },
});

test('postgres migrations: one version per SQLite migration, applied once when instances start together', async () => {
  assert.equal(PG_MIGRATIONS.length, SQLITE_MIGRATIONS.length, 'every SQLite migration has its PostgreSQL twin');
  const fresh = await createTestDatabase();
  try {
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(fresh.url)));
    const sql = postgres(fresh.url, { max: 1, onnotice: () => {} });
    const [row] = await sql`SELECT value FROM meta WHERE key = 'schema_version'`;
    await sql.end();
    assert.equal(row.value, String(PG_MIGRATIONS.length));
    assert.equal(await stores[0].isEmpty(), true);
    for (const s of stores) await s.close();
    const again = await openStore(fresh.url);
    assert.equal(again.kind, 'postgres');
    await again.close();
  } finally {
    await fresh.drop();
  }
});

test('a PostgreSQL password never reaches the banner or logs', async () => {
  const { describeDb } = await import('../../src/store/open-store.js');
  assert.equal(describeDb('postgres://ci:s3cret@db.internal:5432/zcrm'), 'postgres://ci:***@db.internal:5432/zcrm');
  assert.equal(describeDb('postgresql://127.0.0.1:5432/test'), 'postgresql://127.0.0.1:5432/test');
  assert.equal(describeDb('zcrm-local.db'), 'zcrm-local.db');
});

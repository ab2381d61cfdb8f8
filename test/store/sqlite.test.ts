import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runAccountsContract } from './accounts-contract.js';
import { runStoreContract } from './contract.js';

runStoreContract('sqlite :memory:', { open: async () => new SqliteStore(':memory:'), shared: false });

const dir = mkdtempSync(join(tmpdir(), 'zcrm-contract-'));
runStoreContract('sqlite file', {
  open: async () => new SqliteStore(join(dir, 'store.db')),
  shared: true,
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});

runAccountsContract('sqlite :memory:', { open: async () => new SqliteStore(':memory:'), shared: false });

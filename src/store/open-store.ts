import type { Store } from './store.js';

export interface OpenStoreOptions {
  sync?: 'normal' | 'full';
}

/** Picks a store from a URL: a file path or `:memory:` → SQLite; `postgres://…` → PostgreSQL. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    throw new Error('the PostgreSQL store is not available in this build');
  }
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  return new SqliteStore(url, { sync: options.sync });
}

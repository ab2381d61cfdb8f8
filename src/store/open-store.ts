import type { Store } from './store.js';

export interface OpenStoreOptions {
  sync?: 'normal' | 'full';
  /** PostgreSQL: connections in this instance's pool. */
  pgPoolSize?: number;
}

/** Picks a store from a URL: a file path or `:memory:` → SQLite; `postgres://…` → PostgreSQL. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // Loaded only when asked for: a SQLite user never loads the PostgreSQL client.
    const { PostgresStore } = await import('./postgres/postgres-store.js');
    return PostgresStore.open(url, { max: options.pgPoolSize, sync: options.sync });
  }
  const { SqliteStore } = await import('./sqlite/sqlite-store.js');
  return new SqliteStore(url, { sync: options.sync });
}

/** The database URL fit for a log line: a PostgreSQL password is replaced by `***`. */
export function describeDb(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * Versioned schema migrations for PostgreSQL, applied in order on start. Migration N here makes
 * the same change as migration N of ../sqlite/schema.ts, in PostgreSQL's types: ids are BIGINT
 * (read back as text, never as JS numbers), times are BIGINT epoch milliseconds, and JSON
 * columns stay TEXT so that records come back byte for byte as they were written, key order
 * included (jsonb would reorder keys).
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    prefix INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    next_seq BIGINT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
  );
  CREATE TABLE profiles (
    org_id TEXT NOT NULL, id BIGINT NOT NULL, name TEXT NOT NULL, permissions TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
  );
  CREATE TABLE users (
    org_id TEXT NOT NULL, id BIGINT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,
    profile_id BIGINT NOT NULL, password_hash TEXT, created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id), UNIQUE (org_id, email)
  );
  CREATE INDEX users_email ON users (email);
  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, secret_hash TEXT NOT NULL, type TEXT NOT NULL,
    name TEXT NOT NULL, redirect_uris TEXT NOT NULL, origins TEXT NOT NULL, created_at BIGINT NOT NULL
  );
  CREATE TABLE grants (
    code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, org_id TEXT NOT NULL, user_id BIGINT NOT NULL,
    scopes TEXT NOT NULL, redirect_uri TEXT, access_type TEXT NOT NULL, expires_at BIGINT NOT NULL,
    used BOOLEAN NOT NULL DEFAULT false
  );
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL, org_id TEXT NOT NULL,
    user_id BIGINT NOT NULL, scopes TEXT NOT NULL, parent_hash TEXT, expires_at BIGINT,
    revoked BOOLEAN NOT NULL DEFAULT false, created_at BIGINT NOT NULL
  );
  CREATE INDEX tokens_parent ON tokens (parent_hash) WHERE parent_hash IS NOT NULL;
  CREATE TABLE records (
    org_id TEXT NOT NULL, id BIGINT NOT NULL, module TEXT NOT NULL,
    owner_id BIGINT NOT NULL, created_by BIGINT NOT NULL, modified_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL, modified_at BIGINT NOT NULL, parent_id BIGINT, data TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
  );
  CREATE INDEX records_module ON records (org_id, module, id);
  CREATE INDEX records_parent ON records (org_id, parent_id) WHERE parent_id IS NOT NULL;
  CREATE TABLE relations (
    org_id TEXT NOT NULL, relation TEXT NOT NULL, left_id BIGINT NOT NULL, right_id BIGINT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, relation, left_id, right_id)
  );
  CREATE INDEX relations_right ON relations (org_id, relation, right_id, left_id);
  `,
  // 2: API credit usage per org and minute (edition limits).
  `
  CREATE TABLE api_credits (
    org_id TEXT NOT NULL, minute BIGINT NOT NULL, used BIGINT NOT NULL,
    PRIMARY KEY (org_id, minute)
  );
  `,
  // 3: accounts pages (sessions, consents) and the token limits' lookups.
  `
  CREATE TABLE sessions (
    hash TEXT PRIMARY KEY, org_id TEXT NOT NULL, user_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL
  );
  CREATE TABLE consents (
    client_id TEXT NOT NULL, org_id TEXT NOT NULL, user_id BIGINT NOT NULL, scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL, PRIMARY KEY (client_id, org_id, user_id)
  );
  CREATE INDEX tokens_owner ON tokens (client_id, org_id, user_id, kind, created_at);
  `,
  // 4: calls in flight per org (edition concurrency caps), shared by every instance on the database.
  `
  CREATE TABLE api_leases (
    org_id TEXT NOT NULL, id TEXT NOT NULL, expires_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, id)
  );
  `,
  // 5: the SQLite twin keeps relations by related record in a lazily purged table; PostgreSQL's own
  // indexes already leave dead entries to VACUUM, so there is nothing to change here.
  `SELECT 1;`,
  // 6: the SQLite twin marks delinked relations gone and deletes them in its purge; PostgreSQL's
  // updates and deletes are both new row versions, so there is nothing to gain here.
  `SELECT 1;`,
];
